"""The summary charts and the diagnosis cards."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCharts import QHorizontalStackedBarSeries, QStackedBarSeries
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.ui.leg_factory import AGENTS, QUEUES, leg, make_legs
from wrapup_desktop.domain.diagnosis import Finding
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.domain.summary import summarize
from wrapup_desktop.ui.diagnosis_view import DiagnosisView
from wrapup_desktop.ui.summary_view import SummaryView

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def rows() -> list[LegRow]:
    return [
        leg("c-1", WrapupStatus.ASSIGNED, queue=QUEUES[0], agent=AGENTS[0]),
        leg("c-2", WrapupStatus.ASSIGNED, queue=QUEUES[0], agent=AGENTS[1]),
        leg("c-3", WrapupStatus.MISSING, queue=QUEUES[0], agent=AGENTS[1]),
        leg("c-4", WrapupStatus.TIMEOUT, queue=QUEUES[1], agent=AGENTS[0]),
        leg("c-5", WrapupStatus.NO_AGENT, queue=QUEUES[1]),
    ]


@pytest.fixture
def view(qtbot: QtBot) -> SummaryView:
    widget = SummaryView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    return widget


def test_compliance_shown_in_words(view: SummaryView, rows: list[LegRow]) -> None:
    view.set_rows(rows, BERLIN)
    assert view.compliance_label.text() == (
        "Compliance 50.0 % — 2 of 4 legs that required a code got one"
    )


def test_empty_run_says_nothing_yet(view: SummaryView) -> None:
    view.set_rows([], BERLIN)
    assert view.compliance_label.text() == "No legs to summarise yet"
    assert view.bar_sets == {}


def test_queue_chart_stacks_statuses(view: SummaryView, rows: list[LegRow]) -> None:
    view.set_rows(rows, BERLIN)
    series = view.chart.series()
    assert len(series) == 1
    assert isinstance(series[0], QHorizontalStackedBarSeries)
    assert set(view.bar_sets) == {
        WrapupStatus.MISSING,
        WrapupStatus.TIMEOUT,
        WrapupStatus.ASSIGNED,
        WrapupStatus.NO_AGENT,
    }
    # The biggest queue is drawn on top, which is the last category of a horizontal chart.
    assert view.keys == ["q-support", "q-sales"]
    assigned = view.bar_sets[WrapupStatus.ASSIGNED]
    assert [assigned.at(i) for i in range(assigned.count())] == [0.0, 2.0]
    assert assigned.label() == "✓ Assigned"
    assert assigned.color().name() == "#009e73"


def test_day_chart_uses_columns(view: SummaryView, rows: list[LegRow]) -> None:
    view.set_rows(rows, BERLIN)
    view.set_dimension("day")
    assert isinstance(view.chart.series()[0], QStackedBarSeries)
    assert view.keys == ["2026-11-02"]


def test_agent_chart_keeps_top_n(qtbot: QtBot) -> None:
    widget = SummaryView(top_n=3)
    qtbot.addWidget(widget)
    widget.set_rows(make_legs(800), BERLIN)
    widget.set_dimension("agent")
    assert len(widget.keys) == 3
    assert widget.subtitle.text().startswith("The 3 agents with the most legs, of 8.")
    assert "without an agent" in widget.subtitle.text()


def test_bar_click_emits_filter_request(
    qtbot: QtBot,
    view: SummaryView,
    rows: list[LegRow],
) -> None:
    view.set_rows(rows, BERLIN)
    with qtbot.waitSignal(view.filterRequested) as blocker:
        view.bar_sets[WrapupStatus.MISSING].clicked.emit(1)
    assert blocker.args == ["queue", "q-sales", WrapupStatus.MISSING]


def test_agent_bar_click_gives_agent_id(
    qtbot: QtBot,
    view: SummaryView,
    rows: list[LegRow],
) -> None:
    view.set_rows(rows, BERLIN)
    view.set_dimension("agent")
    index = view.keys.index("u-ben")
    with qtbot.waitSignal(view.filterRequested) as blocker:
        view.bar_sets[WrapupStatus.ASSIGNED].clicked.emit(index)
    assert blocker.args == ["agent", "u-ben", WrapupStatus.ASSIGNED]


def test_bar_tooltip_gives_counts(view: SummaryView, rows: list[LegRow]) -> None:
    view.set_rows(rows, BERLIN)
    lines = view.bar_tooltip(WrapupStatus.MISSING, 1).splitlines()
    assert lines[0] == "Sales — Missing: 1 of 3 legs"
    assert lines[1] == "Compliance 66.7 % (2 of 3 legs that required a code)"


def test_summaries_accepted_instead_of_rows(
    view: SummaryView,
    rows: list[LegRow],
) -> None:
    summaries = {by: summarize(rows, by, BERLIN) for by in ("queue", "agent", "day", "code")}
    view.set_rows(summaries, BERLIN)
    assert view.compliance_label.text().startswith("Compliance 50.0 %")
    view.set_dimension("code")
    assert "wc-sale" in view.keys


def test_unknown_dimension_rejected(view: SummaryView) -> None:
    with pytest.raises(ValueError, match="dimension must be queue, agent, day or code"):
        view.set_dimension("colour")


def test_screenshot_of_charts(qtbot: QtBot, view: SummaryView, tmp_path: Path) -> None:
    view.set_rows(make_legs(3_000), BERLIN)
    view.show()
    for dimension in ("queue", "agent", "day", "code"):
        view.set_dimension(dimension)
        assert view.grab().save(str(tmp_path / f"summary-{dimension}.png"))
        assert view.chart.axes()
    view.resize(800, 500)
    assert view.grab().save(str(tmp_path / "summary-small.png"))


FINDINGS = [
    Finding(
        severity="error",
        title="The export is incomplete",
        evidence="3 November could not be fetched (HTTP 503 after 8 attempts).",
        action="Run the same export again to fetch only the missing part.",
    ),
    Finding(
        severity="warning",
        title="Queue Sales times out after-call work",
        evidence="61 of 80 legs on Sales timed out.",
        action="Raise the after-call work timeout of Sales.",
        examples=[f"c-{n}" for n in range(12)],
    ),
]


def test_diagnosis_cards_show_text(qtbot: QtBot) -> None:
    widget = DiagnosisView()
    qtbot.addWidget(widget)
    widget.set_findings(FINDINGS)
    assert len(widget.cards) == 2
    first, second = widget.cards
    assert first.title_label.text() == "<b>Error · The export is incomplete</b>"
    assert "HTTP 503 after 8 attempts" in first.evidence_label.text()
    assert "Run the same export again" in first.action_label.text()
    assert first.examples_label is None
    assert second.examples_label is not None
    assert '<a href="c-9">c-9</a>' in second.examples_label.text()
    assert "c-10" not in second.examples_label.text()
    assert second.examples_label.text().endswith(" and 2 more")
    assert widget.summary_label.text() == "2 findings: 1 error, 1 warning."


def test_diagnosis_example_link_emits(qtbot: QtBot) -> None:
    widget = DiagnosisView()
    qtbot.addWidget(widget)
    widget.set_findings(FINDINGS)
    label = widget.cards[1].examples_label
    assert label is not None
    with qtbot.waitSignal(widget.conversationActivated) as blocker:
        label.linkActivated.emit("c-3")
    assert blocker.args == ["c-3"]


def test_diagnosis_empty_state(qtbot: QtBot) -> None:
    widget = DiagnosisView()
    qtbot.addWidget(widget)
    widget.set_findings(FINDINGS)
    widget.set_findings([])
    assert widget.cards == []
    assert widget.summary_label.text().startswith("✓ No problems found")


def test_screenshot_of_diagnosis(qtbot: QtBot, tmp_path: Path) -> None:
    widget = DiagnosisView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.set_findings(FINDINGS)
    widget.show()
    assert widget.grab().save(str(tmp_path / "diagnosis.png"))


def test_legend_lists_chart_statuses(view: SummaryView, rows: list[LegRow]) -> None:
    view.set_rows(rows, BERLIN)
    texts = [label.text() for label in view.legend.findChildren(QLabel) if label.isVisibleTo(view)]
    assert len(texts) == 4
    assert texts[0].endswith("&nbsp;✗ Missing")
    view.set_rows([], BERLIN)
    assert not [label for label in view.legend.findChildren(QLabel) if label.isVisibleTo(view)]


def test_chart_described_for_screen_readers(view: SummaryView, rows: list[LegRow]) -> None:
    view.set_rows(rows, BERLIN)
    lines = view.chart_view.accessibleDescription().splitlines()
    assert lines == [
        "Sales: 3 legs (Missing 1, Assigned 2)",
        "Support: 2 legs (Timed out 1, No agent 1)",
    ]


def test_agent_chart_leaves_out_no_agent(view: SummaryView, rows: list[LegRow]) -> None:
    rows = [*rows, *(leg(f"c-q{n}", WrapupStatus.NO_AGENT, queue=QUEUES[0]) for n in range(5))]
    view.set_rows(rows, BERLIN)
    view.set_dimension("agent")
    assert "" not in view.keys
    assert set(view.keys) == {AGENTS[0][0], AGENTS[1][0]}
    assert WrapupStatus.NO_AGENT not in view.bar_sets
    assert "Not shown: 6 legs without an agent." in view.subtitle.text()
    view.set_dimension("queue")
    assert WrapupStatus.NO_AGENT in view.bar_sets
