"""The Scoring tab: every scored question, grouped by theme, scored with the digit keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from musterm.app.kinds import SCORING_ROWS
from musterm.app.tabs.base import ConversationTab
from musterm.app.widgets.score_row import ScoreRow
from musterm.app.messages import ScoreChanged
from musterm.documents import wheel
from musterm.documents.guide import scale_text


class ScoringTab(ConversationTab, VerticalScroll):
    has_questions = True

    def compose(self) -> ComposeResult:
        session = self.conversation.session
        scored = [(theme, [q for q in theme.questions if q.kind in SCORING_ROWS]) for theme in session.themes]
        scored = [(theme, questions) for theme, questions in scored if questions]
        if not scored:
            yield Static(
                "Denne ramme har ingen scorede spørgsmål.\n\n"
                "Samtalens emner tages i fanen Noter (F4), og aftalerne skrives i Plan (F5).",
                classes="empty-tab",
            )
            return
        yield Static("Tast et tal for den aftalte score · ⌫ rydder · ↑↓ eller F7/F8 skifter spørgsmål", classes="tab-hint")
        history = self.conversation.history
        scale_shown = ""
        for theme, questions in scored:
            yield Static(theme.title, classes="theme-heading")
            for question in questions:
                scale = scale_text(question.as_data().get("scale"))
                if scale and scale != scale_shown:
                    yield Static(scale, classes="description scale-label")
                    scale_shown = scale
                before = history.earlier_scores_text(question.id, session.date, question.scale) if history else ""
                row = SCORING_ROWS[question.kind]
                yield row(question, self.conversation.read_only, before, id=f"score-{question.id}")
        if wheel.spokes(session):
            yield Static("Kompetencehjul (█ nu, ▒ op til ønsket)", classes="theme-heading")
            yield Static(self._wheel_text(), id="wheel", classes="description wheel")

    def _wheel_text(self) -> str:
        return "\n".join(wheel.compact_lines(wheel.spokes(self.conversation.session)))

    def on_score_changed(self, message: ScoreChanged) -> None:
        """Keep the compact wheel in step with the rows; the message goes on to the screen."""
        for shown in self.query("#wheel"):
            shown.update(self._wheel_text())

    def step_question(self, step: int) -> None:
        rows = list(self.query(ScoreRow))
        if not rows:
            return
        focused = self.screen.focused
        index = rows.index(focused) if focused in rows else -1
        rows[max(0, min(len(rows) - 1, index + step))].focus()

    def focus_default(self) -> None:
        rows = list(self.query(ScoreRow))
        if rows and self.screen.focused not in rows:
            rows[0].focus()

