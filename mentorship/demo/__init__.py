"""Demo data: a deterministic, realistic district for trying the system."""
