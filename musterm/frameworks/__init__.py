"""Finding, tailoring (extends) and checking frameworks."""
