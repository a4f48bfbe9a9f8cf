"""mentorship: peer-mentor matching and confidential case tracking for a peer-assistance program."""

__version__ = "0.1.0"
