"""Who is acting and what they may reach: roles, the signed-in principal, route access rules."""
