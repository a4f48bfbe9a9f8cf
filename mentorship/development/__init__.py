"""Professional development: everyone's training records, measured against the agreement's
required training, and each person's record of training and mentoring hours, by topic."""
