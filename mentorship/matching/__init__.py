"""Matching: the assignment engine, the domain solver, runs, proposals and their review."""
