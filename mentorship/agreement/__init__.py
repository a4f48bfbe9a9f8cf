"""The peer-assistance agreement as versioned data (PRODUCT §4)."""
