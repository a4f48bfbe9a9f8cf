"""Infrastructure shared by every domain: database, errors, HTTP plumbing, time."""
