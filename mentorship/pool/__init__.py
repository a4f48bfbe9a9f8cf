"""The mentor pool: applications, training records, admission, capacity and availability."""
