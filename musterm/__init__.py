"""musterm: hold a MUS (medarbejderudviklingssamtale) live in the terminal, kept in git."""

__version__ = "0.1.0"
