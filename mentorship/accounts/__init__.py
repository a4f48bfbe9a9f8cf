"""Accounts: people, their roles, and their passwords."""
