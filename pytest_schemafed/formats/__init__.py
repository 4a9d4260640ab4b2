"""Schema formats: parsing, locating and the compatibility rules of each."""
