"""Telling people: the outbox of mail and in-app notices, their delivery, preferences and
calendar invites (docs/notifications.md)."""
