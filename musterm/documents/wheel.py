"""The competence wheel: every competence of a conversation scored now and wanted, and the gap.

KL's MUS tool draws the competences as the spokes of a wheel, with where the employee is now and
where they want to be; the gap is what the development plan works on. Here the wheel is an inline
SVG for the HTML export (no image files, no scripts), a table for Markdown, and compact lines for
the app and `musterm show`. Pure functions of the session.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from musterm.model.kinds import competence_gap
from musterm.model.session import QuestionRecord, Session, one_line

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 118


@dataclass(frozen=True)
class Spoke:
    id: str
    label: str
    now: int | None
    wanted: int | None
    low: int
    high: int

    @property
    def gap(self) -> int | None:
        return competence_gap(self.now, self.wanted)


def spokes(session: Session) -> list[Spoke]:
    """The conversation's competences in order (`Session.competences`; only questions with a scale)."""
    return [_spoke(question) for question in session.competences() if question.scale]


def _spoke(question: QuestionRecord) -> Spoke:
    scale = question.scale
    return Spoke(question.id, one_line(question.text), question.now, question.wanted, scale.min, scale.max)


def compact_lines(wheel: list[Spoke], width: int = 20) -> list[str]:
    """One line per competence: 'Faglighed            ██▒▒·  nu 2 → ønsket 4, gab +2'.

    █ up to now, ▒ from now up to wanted, · the rest of the scale."""
    lines = []
    for spoke in wheel:
        steps = spoke.high - spoke.low
        now = 0 if spoke.now is None else spoke.now - spoke.low
        wanted = now if spoke.wanted is None else max(now, spoke.wanted - spoke.low)
        bar = "█" * now + "▒" * (wanted - now) + "·" * (steps - wanted)
        label = spoke.label if len(spoke.label) <= width else spoke.label[: width - 1] + "…"
        shown = f"nu {_value(spoke.now)} → ønsket {_value(spoke.wanted)}"
        if spoke.gap is not None:
            shown += f", gab {spoke.gap:+d}"
        lines.append(f"{label:<{width}} {bar}  {shown}")
    return lines


def markdown_table(wheel: list[Spoke], escape) -> list[str]:  # noqa: ANN001 - the export's inline escaper
    lines = ["| Kompetence | Nu | Ønsket | Gab |", "|---|---|---|---|"]
    for spoke in wheel:
        gap = "" if spoke.gap is None else f"{spoke.gap:+d}"
        lines.append(f"| {escape(spoke.label)} | {_value(spoke.now, '')} | {_value(spoke.wanted, '')} | {gap} |")
    return lines


def svg(wheel: list[Spoke]) -> str:
    """The wheel as an inline SVG: a spoke per competence, a ring per step, 'nu' filled, 'ønsket' dashed."""
    if not wheel:
        return ""
    count = max(len(wheel), 3)  # fewer than three spokes would not make a shape; the spare ones stay empty
    parts = [
        f'<svg class="wheel" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" '
        f'height="{SIZE}" role="img" aria-labelledby="wheel-title">',
        '<title id="wheel-title">Kompetencehjul: nu og ønsket</title>',
    ]
    steps = max(spoke.high - spoke.low for spoke in wheel)
    for ring in range(1, steps + 1):
        points = [_point(index, count, ring / steps) for index in range(count)]
        parts.append(f'<polygon points="{_points(points)}" fill="none" stroke="#ccc" stroke-width="0.8"/>')
    for index in range(count):
        x, y = _point(index, count, 1)
        parts.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="#999" stroke-width="0.8"/>')
    for name, attribute, style in (
        ("nu", "now", 'fill="#2a6fb0" fill-opacity="0.35" stroke="#2a6fb0" stroke-width="2"'),
        ("ønsket", "wanted", 'fill="none" stroke="#c0392b" stroke-width="2" stroke-dasharray="5 3"'),
    ):
        points = [_point(index, count, _share(getattr(spoke, attribute), spoke)) for index, spoke in enumerate(wheel)]
        points += [(CENTRE, CENTRE)] * (count - len(wheel))
        parts.append(f'<polygon class="{attribute}" points="{_points(points)}" {style}><title>{name}</title></polygon>')
    for index, spoke in enumerate(wheel):
        x, y = _point(index, count, 1.12)
        anchor = "middle" if abs(x - CENTRE) < 8 else "start" if x > CENTRE else "end"
        gap = "" if spoke.gap is None else f" ({spoke.gap:+d})"
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle" font-size="10">'
            f"{html.escape(_short(spoke.label))}{html.escape(gap)}</text>"
        )
    parts.append('<text x="8" y="14" font-size="10" fill="#2a6fb0">■ nu</text>')
    parts.append('<text x="8" y="28" font-size="10" fill="#c0392b">- - ønsket</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _share(value: int | None, spoke: Spoke) -> float:
    if value is None:
        return 0.0
    return (value - spoke.low) / (spoke.high - spoke.low)


def _point(index: int, count: int, share: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + RADIUS * share * math.cos(angle), CENTRE + RADIUS * share * math.sin(angle)


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _short(label: str, width: int = 24) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _value(value: int | None, missing: str = "–") -> str:
    return missing if value is None else str(value)
