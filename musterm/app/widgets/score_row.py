"""One scored question as a row: its scale with the agreed score marked, scored with the digit keys."""

from __future__ import annotations

import time

from rich.text import Text
from textual import events
from textual.widget import Widget

from musterm.app import commands
from musterm.app.messages import ScoreChanged
from musterm.model.kinds import competence_gap
from musterm.model.session import QuestionRecord

TWO_DIGIT_WINDOW_SECONDS = 0.8


class ScoreRow(Widget, can_focus=True):
    """One scored question: its scale with the agreed score marked, and the employee's own score."""

    BINDINGS = commands.bindings(*commands.SCORE)
    TYPING_HINT = "Scoren sættes med tallene 0–9 (⌫ rydder); F4 går til noterne."
    HELP = """\
## Scoring

Tast et tal for den **aftalte** score; på en skala til 10 taster du **1** og straks **0**
for 10. Medarbejderens egen score fra forberedelsen står til højre som *egen*.
"""

    def __init__(
        self, question: QuestionRecord, read_only: bool, earlier: str = "", show_text: bool = True, **kwargs  # noqa: ANN003
    ) -> None:
        super().__init__(**kwargs)
        self.question = question
        self.read_only = read_only
        self.earlier = earlier
        self.show_text = show_text
        self._last_digit: tuple[int, float] | None = None

    def render(self) -> Text:
        question = self.question
        scale = question.scale
        text = Text()
        if self.show_text:
            number = f"{question.number}. " if question.number else ""
            text.append(f"{number}{question.text}", style="bold" if self.has_focus else "")
            if question.mandatory:
                text.append(" (obligatorisk)", style="italic")
            text.append("\n")
        text.append("  ")
        if scale is None:
            text.append("(ingen skala)")
            return text
        for value in range(scale.min, scale.max + 1):
            if value == question.score:
                text.append(f"[{value}]", style="reverse bold")
            else:
                text.append(f" {value} ", style="dim" if question.score is not None else "")
        if scale.unknown:
            text.append(f" [{scale.unknown}]" if question.unknown else " v=ved ikke", style="reverse bold" if question.unknown else "dim")
        text.append("  aftalt: ")
        agreed = scale.unknown if question.unknown else "–" if question.score is None else str(question.score)
        text.append(agreed, style="bold")
        if scale.step(question.score):
            text.append(f" {scale.step(question.score)}", style="italic")
        if question.own_score is not None or question.own_unknown:
            text.append(f"  egen: {scale.unknown if question.own_unknown else question.own_score}")
        ends = " / ".join(part for part in (_end(scale.min, scale.low_label), _end(scale.max, scale.high_label)) if part)
        if ends:
            text.append(f"  ({ends})", style="dim")
        if self.earlier:
            text.append(f"\n  før: {self.earlier}", style="dim")
        return text

    def on_key(self, event: events.Key) -> None:
        """Digits 1–9 (0 is the documented binding, so help shows one line for all ten)."""
        if event.character and event.character in "123456789" and len(event.character) == 1:
            event.stop()
            event.prevent_default()
            self.action_digit(int(event.character))

    def on_focus(self) -> None:
        self.refresh()
        self.scroll_visible()

    def on_blur(self) -> None:
        self.refresh()

    def action_digit(self, digit: int) -> None:
        scale = self.question.scale
        if scale is None or not self._editable():
            return
        now = time.monotonic()
        value = digit
        if self._last_digit and now - self._last_digit[1] < TWO_DIGIT_WINDOW_SECONDS:
            combined = self._last_digit[0] * 10 + digit
            if scale.contains(combined):
                value = combined
        self._last_digit = (digit, now)
        if not scale.contains(value):
            self.notify(f"{value} ligger uden for skalaen {scale.min}–{scale.max}.", severity="warning", timeout=3)
            return
        self._set(value)

    def action_adjust(self, step: int) -> None:
        scale = self.question.scale
        if scale is None or not self._editable():
            return
        current = self._current()
        value = (scale.min if step > 0 else scale.max) if current is None else current + step
        if scale.contains(value):
            self._set(value)

    def action_clear(self) -> None:
        if self._editable():
            self._set(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unknown":
            return bool(self.question.scale and self.question.scale.unknown)
        return True

    def action_unknown(self) -> None:
        """The scale's "ved ikke / ikke relevant": not a number, so the score is cleared."""
        if self.question.scale and self.question.scale.unknown and self._editable():
            self.question.score = None
            self.question.unknown = True
            self.refresh()
            self.post_message(ScoreChanged(self.question))

    def action_move(self, step: int) -> None:
        if step > 0:
            self.screen.focus_next(ScoreRow)
        else:
            self.screen.focus_previous(ScoreRow)

    def _editable(self) -> bool:
        if self.read_only:
            self.notify("Samtalen er skrivebeskyttet.", timeout=3)
            return False
        return True

    def _current(self) -> int | None:
        return self.question.score

    def _set(self, value: int | None) -> None:
        self.question.score = value
        if self.question.kind == "score":
            self.question.unknown = None
        self.refresh()
        self.post_message(ScoreChanged(self.question))


def _end(value: int, label: str) -> str:
    return f"{value} = {label}" if label else ""


class CompetenceRow(ScoreRow):
    """A competence: two scores on the scale, now and wanted, and the gap. A digit sets the part marked ▶
    (now first); setting now moves on to wanted, and wanted back to now."""

    HELP = """\
## Kompetence

Tast et tal for hvor medarbejderen er **nu**, og straks et tal for det **ønskede**; ▶ viser, hvilket
tal der sættes. Gabet (ønsket minus nu) er det, udviklingsplanen arbejder med.
"""

    def __init__(self, question: QuestionRecord, read_only: bool, earlier: str = "", show_text: bool = True, **kwargs) -> None:  # noqa: ANN003
        super().__init__(question, read_only, earlier, show_text, **kwargs)
        self.part = "now" if question.now is None or question.wanted is not None else "wanted"

    def render(self) -> Text:
        question = self.question
        scale = question.scale
        text = Text()
        if self.show_text:
            number = f"{question.number}. " if question.number else ""
            text.append(f"{number}{question.text}", style="bold" if self.has_focus else "")
            text.append("\n")
        if scale is None:
            return text.append("  (ingen skala)")
        for part, title in (("now", "nu    "), ("wanted", "ønsket")):
            value = getattr(question, part)
            text.append("▶ " if self.has_focus and part == self.part else "  ")
            text.append(f"{title} ")
            for step in range(scale.min, scale.max + 1):
                shown = f"[{step}]" if step == value else f" {step} "
                text.append(shown, style="reverse bold" if step == value else "dim" if value is not None else "")
            own = getattr(question, f"own_{part}")
            if own is not None:
                text.append(f"  egen: {own}", style="dim")
            text.append("\n")
        gap = competence_gap(question.now, question.wanted)
        text.append(f"  gab: {'–' if gap is None else f'{gap:+d}'}", style="bold")
        if self.earlier:
            text.append(f"   før: {self.earlier}", style="dim")
        return text

    def _current(self) -> int | None:
        return getattr(self.question, self.part)

    def _set(self, value: int | None) -> None:
        setattr(self.question, self.part, value)
        if value is not None:
            self.part = "wanted" if self.part == "now" else "now"
        self.refresh()
        self.post_message(ScoreChanged(self.question))
