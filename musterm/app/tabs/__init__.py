"""The conversation screen's tabs."""
