"""What every feature uses, and nothing feature-specific."""
