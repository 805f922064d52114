"""File formats: TOML sources with located errors, and the session file."""
