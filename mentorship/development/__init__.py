"""Professional development: the record of training and mentoring hours, by topic."""
