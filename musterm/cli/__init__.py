"""The `musterm` command."""
