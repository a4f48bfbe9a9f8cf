"""Cases: the mentoring relationship an approved match opens."""
