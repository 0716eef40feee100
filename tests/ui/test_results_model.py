"""The results model: columnar storage, sorting, filtering and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from tests.ui.leg_factory import AGENTS, CODES, QUEUES, START, leg, make_legs
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.ui.results_model import COLUMNS, ResultsModel, Role

ASC = Qt.SortOrder.AscendingOrder
DESC = Qt.SortOrder.DescendingOrder


def column(name: str) -> int:
    return COLUMNS.index(name)


def shown(model: ResultsModel, name: str) -> list[str]:
    return [model.index(row, column(name)).data() for row in range(model.rowCount())]


def shown_ids(model: ResultsModel) -> list[str]:
    return shown(model, "conversation_id")


@pytest.fixture
def model(qtbot: QtBot) -> ResultsModel:
    return ResultsModel(tz=ZoneInfo("Europe/Berlin"))


def test_append_in_chunks_keeps_every_row(model: ResultsModel) -> None:
    rows = make_legs(2_500)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    for start in range(0, len(rows), 1_000):
        model.append_rows(rows[start : start + 1_000])
    assert model.rowCount() == 2_500
    assert model.row_count_total() == 2_500
    assert inserted == [(0, 999), (1_000, 1_999), (2_000, 2_499)]
    assert [model.leg_row(i) for i in range(2_500)] == rows


def test_leg_row_round_trips_every_field(model: ResultsModel) -> None:
    original = LegRow(
        conversation_id="c-round",
        conversation_start=datetime(2026, 11, 2, 8, 15, 3, 123000, tzinfo=UTC),
        conversation_end=None,
        media_type="chat",
        direction="outbound",
        queue_id="q-1",
        queue_name="=SUM(A1)",
        agent_id="u-1",
        agent_name="José Núñez",
        participant_id="p-1",
        wrapup_status=WrapupStatus.PENDING,
        wrapup_code_id="",
        wrapup_code_name="",
        wrapup_count=0,
        acw_seconds=None,
        wrapup_reason="Still in after-call work.",
        transfer_seq=3,
        wrapup_note="line one\nline two",
        ended_in_transfer=True,
        code_required=None,
    )
    model.append_rows([original, leg("c-other")])
    assert model.leg_row(0) == original
    assert model.leg_row(1) == leg("c-other")


def test_leg_row_outside_range_raises(model: ResultsModel) -> None:
    model.append_rows([leg()])
    with pytest.raises(IndexError, match="row 5 is outside the 1 rows"):
        model.leg_row(5)


def test_display_text_per_column_kind(model: ResultsModel) -> None:
    model.append_rows([leg("c-1", WrapupStatus.MISSING, acw_seconds=12.5, transfer_seq=2)])
    assert model.index(0, column("conversation_start")).data() == "2026-11-02 08:00:00+01:00"
    assert model.index(0, column("acw_seconds")).data() == "12.5"
    assert model.index(0, column("transfer_seq")).data() == "2"
    assert model.index(0, column("wrapup_status")).data() == "✗ Missing"
    alignment = model.index(0, column("acw_seconds")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_tooltips_explain_status_and_reason(model: ResultsModel) -> None:
    model.append_rows([leg("c-1", WrapupStatus.TIMEOUT, reason="Timed out after 30 s.")])
    status_tip = model.index(0, column("wrapup_status")).data(Qt.ItemDataRole.ToolTipRole)
    reason_tip = model.index(0, column("wrapup_reason")).data(Qt.ItemDataRole.ToolTipRole)
    assert status_tip.startswith("Timed out: Genesys wrote ININ-WRAP-UP-TIMEOUT")
    assert status_tip.endswith("Timed out after 30 s.")
    assert reason_tip == "Timed out after 30 s."


def test_custom_roles_give_status_and_id(model: ResultsModel) -> None:
    model.append_rows([leg("c-9", WrapupStatus.SKIPPED)])
    index = model.index(0, 0)
    assert index.data(Role.STATUS) == WrapupStatus.SKIPPED
    assert index.data(Role.CONVERSATION_ID) == "c-9"
    assert index.data(Role.SOURCE_ROW) == 0
    background = model.index(0, column("wrapup_status")).data(Qt.ItemDataRole.BackgroundRole)
    assert background.isValid()


def test_header_titles_and_tooltips(model: ResultsModel) -> None:
    horizontal = Qt.Orientation.Horizontal
    assert model.headerData(column("agent_name"), horizontal) == "Agent"
    assert model.headerData(column("acw_seconds"), horizontal) == "ACW (s)"
    tip = model.headerData(column("wrapup_reason"), horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "CSV column: wrapup_reason" in tip
    assert COLUMNS[-1] == "wrapup_note"


def test_time_zone_change_redisplays_times(model: ResultsModel) -> None:
    model.append_rows([leg()])
    model.set_time_zone(ZoneInfo("America/New_York"))
    assert model.index(0, column("conversation_start")).data() == "2026-11-02 02:00:00-05:00"


SORT_CASES = [
    pytest.param("agent_name", "text", id="text"),
    pytest.param("conversation_start", "time", id="time"),
    pytest.param("acw_seconds", "number", id="float"),
    pytest.param("transfer_seq", "number", id="int"),
    pytest.param("wrapup_status", "status", id="status"),
]


@pytest.mark.parametrize(("name", "kind"), SORT_CASES)
@pytest.mark.parametrize("order", [ASC, DESC], ids=["asc", "desc"])
def test_sort_orders_each_column_kind(
    model: ResultsModel, name: str, kind: str, order: Qt.SortOrder
) -> None:
    rows = make_legs(600, seed=3)
    model.append_rows(rows)
    model.sort(column(name), order)
    sort_column = column(name)
    values = [model.index(r, sort_column).data(Role.SORT) for r in range(model.rowCount())]
    known = [value for value in values if value == value]  # NaN stands for "unknown"
    expected = sorted(known, reverse=order == DESC)
    assert known == expected
    if kind == "text":
        names = [text for text in shown(model, name) if text]
        assert names[0] == ("Ana Souza" if order == ASC else "José Núñez")


def test_sort_puts_unknown_times_last(model: ResultsModel) -> None:
    model.append_rows([leg("c-none", start=None), leg("c-late", start=START + timedelta(1))])
    model.append_rows([leg("c-early")])
    model.sort(column("conversation_start"), ASC)
    assert shown_ids(model) == ["c-early", "c-late", "c-none"]


def test_sort_is_stable_for_equal_keys(model: ResultsModel) -> None:
    rows = [leg(f"c-{i:02d}", agent=AGENTS[i % 2]) for i in range(10)]
    model.append_rows(rows)
    model.sort(column("conversation_id"), ASC)
    model.sort(column("agent_name"), ASC)
    assert shown_ids(model) == [f"c-{i:02d}" for i in (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)]
    model.sort(column("agent_name"), DESC)
    assert shown_ids(model) == [f"c-{i:02d}" for i in (1, 3, 5, 7, 9, 0, 2, 4, 6, 8)]


def test_persistent_index_survives_sort(model: ResultsModel) -> None:
    model.append_rows(make_legs(300, seed=5))
    model.sort(column("conversation_start"), ASC)
    source = model.source_row(17)
    persistent = QPersistentModelIndex(model.index(17, 3))
    model.sort(column("agent_name"), DESC)
    assert persistent.isValid()
    assert persistent.column() == 3
    assert model.source_row(persistent.row()) == source


def test_persistent_index_dropped_when_filtered_out(model: ResultsModel) -> None:
    model.append_rows([leg("c-1", WrapupStatus.MISSING), leg("c-2", WrapupStatus.ASSIGNED)])
    model.sort(column("conversation_id"), ASC)
    kept = QPersistentModelIndex(model.index(1, 0))
    dropped = QPersistentModelIndex(model.index(0, 0))
    model.set_status_filter({WrapupStatus.ASSIGNED})
    assert kept.isValid()
    assert kept.row() == 0
    assert not dropped.isValid()


def test_append_out_of_order_marks_sort_stale(model: ResultsModel) -> None:
    model.sort(column("conversation_start"), ASC)
    model.append_rows([leg("c-b", start=START + timedelta(hours=2))])
    assert not model.sort_stale
    model.append_rows([leg("c-a", start=START)])
    assert model.sort_stale
    assert shown_ids(model) == ["c-b", "c-a"]
    model.refresh_sort()
    assert not model.sort_stale
    assert shown_ids(model) == ["c-a", "c-b"]


def test_status_filter_keeps_chosen_statuses(model: ResultsModel) -> None:
    model.append_rows(make_legs(1_000))
    model.set_status_filter({WrapupStatus.MISSING, WrapupStatus.TIMEOUT})
    statuses = {model.index(r, 0).data(Role.STATUS) for r in range(model.rowCount())}
    assert statuses == {WrapupStatus.MISSING, WrapupStatus.TIMEOUT}
    counts = model.status_counts("all")
    assert model.rowCount() == counts[WrapupStatus.MISSING] + counts[WrapupStatus.TIMEOUT]
    model.set_status_filter(None)
    assert model.rowCount() == 1_000


def test_text_filter_ignores_case_across_columns(model: ResultsModel) -> None:
    model.append_rows(
        [
            leg("c-agent", agent=("u-j", "José Núñez")),
            leg("c-queue", queue=("q-x", "Núñez escalations")),
            leg("c-reason", reason="Queue NÚÑEZ requires a code."),
            leg("c-none"),
            leg("abc-NÚÑ"),
        ]
    )
    model.sort(column("conversation_id"), ASC)
    model.set_text_filter("  núñ ")
    assert shown_ids(model) == ["abc-NÚÑ", "c-agent", "c-queue", "c-reason"]
    model.set_text_filter("nothing like this")
    assert model.rowCount() == 0
    model.set_text_filter("")
    assert model.rowCount() == 5


def test_text_filter_applies_to_appended_rows(model: ResultsModel) -> None:
    model.set_text_filter("grace")
    model.append_rows([leg("c-1", agent=AGENTS[0]), leg("c-2", agent=AGENTS[6])])
    model.append_rows([leg("c-3", agent=AGENTS[6])])
    assert shown_ids(model) == ["c-2", "c-3"]
    assert model.row_count_total() == 3


@pytest.mark.parametrize(
    ("dimension", "key", "expected"),
    [
        pytest.param("queue", "q-billing", ["c-2"], id="queue-id"),
        pytest.param("queue", "Billing", ["c-2"], id="queue-name"),
        pytest.param("agent", "u-ben", ["c-3"], id="agent"),
        pytest.param("code", "wc-info", ["c-3"], id="code"),
        pytest.param("day", "2026-11-03", ["c-3"], id="day"),
        pytest.param("day", "", ["c-4"], id="unknown-day"),
        pytest.param("queue", "", ["c-4"], id="no-queue"),
    ],
)
def test_dimension_filter_matches_key(
    model: ResultsModel, dimension: str, key: str, expected: list[str]
) -> None:
    model.append_rows(
        [
            leg("c-1", queue=QUEUES[0], agent=AGENTS[0], code=CODES[0]),
            leg("c-2", queue=QUEUES[2], agent=AGENTS[0], code=CODES[0]),
            leg("c-3", agent=AGENTS[1], code=CODES[1], start=START + timedelta(hours=20)),
            leg("c-4", WrapupStatus.NO_AGENT, start=None, queue=("", "")),
        ]
    )
    model.set_dimension_filter(dimension, key)
    assert shown_ids(model) == expected


def test_day_filter_uses_report_zone(model: ResultsModel) -> None:
    late = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)  # 00:30 on 3 November in Berlin
    model.append_rows([leg("c-late", start=late)])
    model.set_dimension_filter("day", "2026-11-03")
    assert model.rowCount() == 1
    model.set_time_zone(ZoneInfo("UTC"))
    assert model.rowCount() == 0


def test_unknown_dimension_is_rejected(model: ResultsModel) -> None:
    with pytest.raises(ValueError, match="dimension must be one of"):
        model.set_dimension_filter("colour", "red")
    with pytest.raises(ValueError, match="a day must be written YYYY-MM-DD, but got '3/11'"):
        model.set_dimension_filter("day", "3/11")


def test_filters_combine_and_clear(model: ResultsModel) -> None:
    model.append_rows(make_legs(1_000))
    model.set_status_filter({WrapupStatus.MISSING})
    model.set_dimension_filter("queue", "q-sales")
    model.set_text_filter("ana")
    for row in range(model.rowCount()):
        legrow = model.leg_row(model.source_row(row))
        assert legrow.wrapup_status == WrapupStatus.MISSING
        assert legrow.queue_id == "q-sales"
        assert legrow.agent_name == "Ana Souza"
    model.clear_filters()
    assert model.rowCount() == 1_000


def test_status_counts_per_scope(model: ResultsModel) -> None:
    model.append_rows(
        [
            leg("c-1", WrapupStatus.MISSING, agent=AGENTS[0]),
            leg("c-2", WrapupStatus.MISSING, agent=AGENTS[1]),
            leg("c-3", WrapupStatus.ASSIGNED, agent=AGENTS[0]),
        ]
    )
    model.set_text_filter("ana")
    model.set_status_filter({WrapupStatus.MISSING})
    assert model.status_counts("all")[WrapupStatus.MISSING] == 2
    assert model.status_counts("facet")[WrapupStatus.MISSING] == 1
    assert model.status_counts("facet")[WrapupStatus.ASSIGNED] == 1
    assert model.status_counts("visible")[WrapupStatus.ASSIGNED] == 0
    assert model.status_counts("visible")[WrapupStatus.MISSING] == 1
    model.append_rows([leg("c-4", WrapupStatus.ASSIGNED, agent=AGENTS[0])])
    assert model.status_counts("facet")[WrapupStatus.ASSIGNED] == 2


def test_clear_keeps_filters_for_new_rows(model: ResultsModel) -> None:
    model.set_status_filter({WrapupStatus.MISSING})
    model.append_rows([leg("c-1", WrapupStatus.MISSING)])
    model.clear()
    assert model.rowCount() == 0
    assert model.row_count_total() == 0
    model.append_rows([leg("c-2", WrapupStatus.MISSING), leg("c-3")])
    assert shown_ids(model) == ["c-2"]


def test_conversation_rows_returns_every_leg(model: ResultsModel) -> None:
    model.append_rows([leg("c-1", transfer_seq=1), leg("c-2"), leg("c-1", transfer_seq=2)])
    rows = model.conversation_rows("c-1")
    assert [row.transfer_seq for row in rows] == [1, 2]
    assert model.conversation_rows("c-unknown") == []


def test_model_passes_qt_model_tester(model: ResultsModel, qtmodeltester: object) -> None:
    model.append_rows(make_legs(200))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.sort(column("agent_name"), DESC)
    model.set_text_filter("sales")
    model.append_rows(make_legs(50, seed=11))
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_hundred_thousand_rows_sort_and_filter(model: ResultsModel) -> None:
    rows = make_legs(100_000, seed=2)
    for start in range(0, len(rows), 10_000):
        model.append_rows(rows[start : start + 10_000])
    model.sort(column("participant_id"), DESC)
    model.set_text_filter("billing")
    model.set_status_filter({WrapupStatus.ASSIGNED})
    expected = sum(
        1
        for row in rows
        if row.wrapup_status == WrapupStatus.ASSIGNED
        and "billing" in (row.queue_name + row.wrapup_reason).casefold()
    )
    assert model.rowCount() == expected
    first, second = model.source_row(0), model.source_row(1)
    assert rows[first].participant_id >= rows[second].participant_id


def test_narrow_filter_keeps_sort_order(model: ResultsModel) -> None:
    model.append_rows(make_legs(2_000, seed=9))
    model.sort(column("agent_name"), DESC)
    order = list(model.visible_source_rows())
    model.set_status_filter({WrapupStatus.SKIPPED})
    expected = [row for row in order if model.leg_row(row).wrapup_status == WrapupStatus.SKIPPED]
    assert list(model.visible_source_rows()) == expected
    model.append_rows([leg("c-new", WrapupStatus.SKIPPED)])
    model.set_status_filter({WrapupStatus.SKIPPED, WrapupStatus.PENDING})
    assert model.leg_row(model.source_row(model.rowCount() - 1)).conversation_id == "c-new"


@pytest.mark.parametrize("needle", ["c00012", "A7", "sales", "ΣΑΣ", "zzzz"])
def test_text_search_large_dictionary(model: ResultsModel, needle: str) -> None:
    rows = make_legs(5_000, seed=4)
    rows[17].wrapup_reason = "Queue ΣΑΣ requires a code."
    model.append_rows(rows[:4_000])
    model.set_text_filter(needle)
    model.append_rows(rows[4_000:])
    folded = needle.casefold()
    expected = [
        index
        for index, row in enumerate(rows)
        if any(
            folded in text.casefold()
            for text in (
                row.agent_name,
                row.queue_name,
                row.wrapup_code_name,
                row.conversation_id,
                row.wrapup_reason,
            )
        )
    ]
    assert sorted(model.visible_source_rows()) == expected


def test_set_filters_relayouts_once(model: ResultsModel) -> None:
    model.append_rows(make_legs(500))
    layouts: list[int] = []
    model.layoutChanged.connect(lambda *_args: layouts.append(1))
    model.set_filters(statuses={WrapupStatus.MISSING}, text="ana", dimensions={"queue": "q-sales"})
    assert layouts == [1]
    assert model.dimension_filters == {"queue": "q-sales"}
    assert model.text_filter == "ana"
    for row in range(model.rowCount()):
        assert model.leg_row(model.source_row(row)).agent_name == "Ana Souza"
    with pytest.raises(ValueError, match="dimension must be one of"):
        model.set_filters(statuses=None, text="", dimensions={"team": "x"})


@pytest.mark.parametrize("needle", ["lea", "LEA", "Léa", "léa"])
def test_search_ignores_accents_and_case(model: ResultsModel, needle: str) -> None:
    model.set_rows(
        [
            leg("c-lea", agent=("u-lea", "Léa Dubois")),
            leg("c-leah", agent=("u-leah", "Leah Kim")),
            leg("c-ana", agent=("u-ana", "Ana Souza")),
        ]
    )
    model.set_text_filter(needle)
    assert sorted(shown_ids(model)) == ["c-lea", "c-leah"]


def test_search_folds_large_dictionary(model: ResultsModel) -> None:
    # More distinct strings than the entry-by-entry search handles, so the joined search runs.
    rows = [leg(f"c-{number}", agent=(f"u-{number}", f"Agent {number}")) for number in range(3000)]
    rows.append(leg("c-nunez", agent=("u-nunez", "José Núñez")))
    model.set_rows(rows)
    model.set_text_filter("jose nunez")
    assert shown_ids(model) == ["c-nunez"]
    model.set_text_filter("NÚÑEZ")
    assert shown_ids(model) == ["c-nunez"]
