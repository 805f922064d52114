"""The text of `musterm list`: employees, each with their conversations, newest first."""

from __future__ import annotations

from itertools import groupby

from musterm.store import Summary


def format_listing(summaries: list[Summary]) -> str:
    newest_first = sorted(summaries, key=lambda s: (s.date, s.time, s.path), reverse=True)
    order = list(dict.fromkeys(summary.folder for summary in newest_first))
    by_folder = {folder: list(items) for folder, items in groupby(sorted(newest_first, key=lambda s: s.folder), key=lambda s: s.folder)}
    blocks = []
    for folder in order:
        items = sorted(by_folder[folder], key=lambda s: (s.date, s.time, s.path), reverse=True)
        named = next((summary for summary in items if not summary.error), items[0])
        number = f", nr. {named.number}" if named.number else ""
        lines = [f"{named.employee}{number}  [{folder}]"]
        for summary in items:
            if summary.error:
                lines.append(f"  {summary.date:<10}  {'':5}  {summary.error}  {summary.path}")
                continue
            time = summary.time or "     "
            lines.append(f"  {summary.date}  {time}  {summary.framework:<20} {summary.status_label:<10} {summary.path}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
