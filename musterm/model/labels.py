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
