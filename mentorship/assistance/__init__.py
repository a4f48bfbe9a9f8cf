"""Requests for peer assistance: self-requests, referrals with consent, the queue."""
