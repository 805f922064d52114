"""The git-backed sessions repository: files, folders, commits, locks and the listing."""
