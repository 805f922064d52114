"""The data model: frameworks, sessions, question kinds and labels. No I/O, no Textual."""
