"""Looking back across conversations: reading, trends, diff, search and the git log."""
