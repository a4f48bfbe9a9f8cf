"""The signed-in home page: who you are and what needs your attention."""
