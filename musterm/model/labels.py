"""Danish labels for the tokens stored in session files; no heavy imports (textconv uses it)."""

STATUS_LABELS = {
    "draft": "kladde",
    "held": "holdt",
    "closed": "afsluttet",
    "reopened": "genåbnet",
}

FOLLOWUP_LABELS = {
    "done": "gennemført",
    "in_progress": "i gang",
    "not_started": "ikke startet",
    "abandoned": "opgivet",
}

YES_NO = {True: "Ja", False: "Nej"}

PLAN_COLUMNS = {"what": "Hvad?", "goal": "Mål?", "how": "Hvordan?", "when": "Hvornår?", "followup": "Opfølgning"}
"""The development plan's columns, in order: each one's key in framework and session files, and the
heading it has unless a framework gives it another. The models of both files are built from this."""

PLAN_COLUMN_KEYS: tuple[str, ...] = tuple(PLAN_COLUMNS)

DEFAULT_NOTES_LABEL = "Noter"
"""The label above a notes area when the framework gives none (or is gone). Of the bundled guides only
Ringkøbing-Skjern's has its own ("Stikord og fælles konklusioner"), and its framework says so."""
