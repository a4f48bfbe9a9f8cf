"""Authentication: sign-in, server-side sessions, throttling and route guards."""
