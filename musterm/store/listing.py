"""The text of `musterm list`: employees, each with their conversations, newest first."""

from __future__ import annotations

from musterm.store.repository import Summary


def format_listing(summaries: list[Summary]) -> str:
    newest_first = sorted(summaries, key=lambda s: (s.date, s.time, s.path), reverse=True)
    # One pass: folders in the order of their newest conversation, each folder's newest first.
    by_folder: dict[str, list[Summary]] = {}
    for summary in newest_first:
        by_folder.setdefault(summary.folder, []).append(summary)
    blocks = []
    for folder, items in by_folder.items():
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
