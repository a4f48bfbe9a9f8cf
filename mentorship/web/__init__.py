"""What every page shares: navigation, form handling, rendering, dates in the reader's format."""
