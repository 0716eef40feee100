"""The export dialog: which rows it offers and writes, and its labels."""

from __future__ import annotations

import csv
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.ui.leg_factory import AGENTS, make_legs
from wrapup_desktop.domain.rows import WrapupStatus
from wrapup_desktop.ui.export_dialog import ExportDialog
from wrapup_desktop.ui.results_model import COLUMNS, ResultsModel

BERLIN = ZoneInfo("Europe/Berlin")


def _filtered_model(qtbot: QtBot) -> ResultsModel:
    model = ResultsModel(tz=BERLIN)
    model.set_rows(make_legs(600))
    model.set_filters(
        statuses={WrapupStatus.ASSIGNED}, text="", dimensions={"agent": AGENTS[7][0]}
    )
    model.sort(COLUMNS.index("conversation_start"), Qt.SortOrder.DescendingOrder)
    return model


def _dialog(qtbot: QtBot, model: ResultsModel, tmp_path: Path) -> ExportDialog:
    rows = list(model.iter_rows(visible_only=False))
    dialog = ExportDialog(
        "csv",
        rows=rows,
        tz=BERLIN,
        current_statuses=model.status_filter,
        folder=str(tmp_path),
        model=model,
    )
    qtbot.addWidget(dialog)
    return dialog


def _written_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [line["conversation_id"] for line in csv.DictReader(handle)]


def test_export_offers_exact_counts(qtbot: QtBot, tmp_path: Path) -> None:
    model = _filtered_model(qtbot)
    dialog = _dialog(qtbot, model, tmp_path)
    shown = model.visible_count()
    assert 0 < shown < 600
    assert dialog.only_shown.isChecked()
    assert dialog.only_shown.text() == f"&Only the rows shown now ({shown:,} legs)"
    assert dialog.all_rows.text() == "&All legs (600)"
    assert dialog.message.text().startswith(f"{shown:,} rows")
    dialog.all_rows.setChecked(True)
    assert dialog.message.text().startswith("600 rows")


async def test_export_writes_shown_rows(qtbot: QtBot, tmp_path: Path) -> None:
    model = _filtered_model(qtbot)
    dialog = _dialog(qtbot, model, tmp_path)
    target = tmp_path / "shown.csv"
    dialog.path_edit.setText(str(target))

    assert await dialog.export_now() == target

    expected = [row.conversation_id for row in model.iter_rows(visible_only=True)]
    assert _written_ids(target) == expected
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert {line["agent_id"] for line in lines} == {AGENTS[7][0]}
    assert {line["wrapup_status"] for line in lines} == {"ASSIGNED"}


async def test_export_all_legs_option(qtbot: QtBot, tmp_path: Path) -> None:
    model = _filtered_model(qtbot)
    dialog = _dialog(qtbot, model, tmp_path)
    target = tmp_path / "all.csv"
    dialog.path_edit.setText(str(target))
    dialog.all_rows.setChecked(True)

    await dialog.export_now()

    assert len(_written_ids(target)) == 600


def test_export_unfiltered_offers_all(qtbot: QtBot, tmp_path: Path) -> None:
    model = ResultsModel(tz=BERLIN)
    model.set_rows(make_legs(50))
    dialog = _dialog(qtbot, model, tmp_path)
    assert dialog.all_rows.isChecked()
    assert not dialog.only_shown.isEnabled()


def test_export_file_label_has_buddy(qtbot: QtBot, tmp_path: Path) -> None:
    model = ResultsModel(tz=BERLIN)
    dialog = _dialog(qtbot, model, tmp_path)
    labels = [label for label in dialog.findChildren(QLabel) if label.text() == "&File:"]
    assert len(labels) == 1
    assert labels[0].buddy() is dialog.path_edit
