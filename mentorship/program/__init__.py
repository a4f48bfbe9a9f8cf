"""Program reports: aggregate figures for the coordinator, small counts suppressed."""
