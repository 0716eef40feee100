"""The findings of a run as cards: what was seen, the evidence, what to do, and examples.

Each card shows its severity three ways (icon, coloured edge and a word), so it reads without
colour. Example conversation IDs are links: activating one emits `conversationActivated`, and the
shell opens that conversation's detail dialog.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

_SEVERITIES: dict[str, tuple[str, str, QStyle.StandardPixmap]] = {
    "error": ("Error", "#D55E00", QStyle.StandardPixmap.SP_MessageBoxCritical),
    "warning": ("Warning", "#E69F00", QStyle.StandardPixmap.SP_MessageBoxWarning),
    "info": ("Note", "#0072B2", QStyle.StandardPixmap.SP_MessageBoxInformation),
}
_MAX_EXAMPLES_SHOWN = 10


class FindingLike(Protocol):
    """The fields of `wrapup_desktop.domain.diagnosis.Finding` that a card shows."""

    @property
    def severity(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def evidence(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def examples(self) -> list[str]: ...


class FindingCard(QFrame):
    """One finding: severity icon and word, title, evidence, action and example links."""

    def __init__(self, finding: FindingLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        word, color, pixmap = _SEVERITIES.get(finding.severity, _SEVERITIES["info"])
        self.setObjectName("findingCard")
        self.setStyleSheet(
            f"#findingCard {{ border: 1px solid palette(mid); border-left: 5px solid {color};"
            " border-radius: 3px; }"
        )
        self.setAccessibleName(f"{word}: {finding.title}")
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_LargeIconSize)
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.title_label = _text_label(
            f"<b>{word} · {html.escape(finding.title)}</b>",
            self,
        )
        self.evidence_label = _text_label(html.escape(finding.evidence), self)
        self.action_label = _text_label(f"<b>What to do:</b> {html.escape(finding.action)}", self)
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addWidget(self.title_label)
        body.addWidget(self.evidence_label)
        body.addWidget(self.action_label)
        self.examples_label: QLabel | None = None
        if finding.examples:
            shown = finding.examples[:_MAX_EXAMPLES_SHOWN]
            links = ", ".join(
                f'<a href="{html.escape(example)}">{html.escape(example)}</a>' for example in shown
            )
            more = len(finding.examples) - len(shown)
            extra = f" and {more} more" if more > 0 else ""
            self.examples_label = _text_label(
                f"<b>Example conversations:</b> {links}{extra}", self
            )
            self.examples_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextBrowserInteraction
            )
            self.examples_label.setToolTip("Open a conversation to see its timeline")
            body.addWidget(self.examples_label)
        layout = QHBoxLayout(self)
        layout.addWidget(icon)
        layout.addLayout(body, 1)


class DiagnosisView(QWidget):
    """The findings of the last run, most severe first, or a short all-clear."""

    conversationActivated = Signal(str)  # noqa: N815 - Qt signal naming
    """An example conversation ID was clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[FindingCard] = []
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Findings summary")
        self._container = QWidget(self)
        self._list = QVBoxLayout(self._container)
        self._list.setSpacing(8)
        self._list.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self._container)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # A card is as wide as its longest ID, so a narrow pane scrolls instead of clipping it.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setAccessibleName("Findings")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(scroll, 1)
        self.set_findings([])

    def set_findings(self, findings: Sequence[FindingLike]) -> None:
        """Replace the cards with these findings, in the order given."""
        for card in self.cards:
            self._list.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for position, finding in enumerate(findings):
            card = FindingCard(finding, self._container)
            if card.examples_label is not None:
                card.examples_label.linkActivated.connect(self.conversationActivated)
            self._list.insertWidget(position, card)
            self.cards.append(card)
        self.summary_label.setText(_summary_text(findings))


def _summary_text(findings: Sequence[FindingLike]) -> str:
    if not findings:
        return "✓ No problems found: the checks on this run's data found nothing to report."
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    parts = []
    for severity, (word, _color, _pixmap) in _SEVERITIES.items():
        count = counts.get(severity, 0)
        if count:
            parts.append(f"{count} {word.lower()}{'s' if count > 1 else ''}")
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun}: {', '.join(parts)}."


def _text_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
