"""The district's reference data: sites and travel links, job roles, skills, employee profiles."""
