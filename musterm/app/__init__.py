"""The Textual app. Only this package imports Textual; it never writes files itself (the store does)."""
