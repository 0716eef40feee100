"""The entry point: GUI options, their errors, and screenshot mode in a separate process."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from wrapup_desktop.ui.app import run_app

DAY = "2026-12-01"


def _run_screenshot(home: Path, target: Path, view: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    command = [
        sys.executable,
        "-m",
        "wrapup_desktop",
        "--demo",
        "--from",
        DAY,
        "--to",
        DAY,
        "--tz",
        "Europe/Dublin",
        "--screenshot",
        str(target),
        "--view",
        view,
    ]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("view", ["results", "detail"])
def test_screenshot_writes_png(isolated_home: Path, tmp_path: Path, view: str) -> None:
    target = tmp_path / f"{view}.png"
    completed = _run_screenshot(isolated_home, target, view)

    assert completed.returncode == 0, completed.stderr
    image = QImage(str(target))
    assert not image.isNull()
    if view == "results":
        assert (image.width(), image.height()) == (1280, 800)
    else:
        assert image.width() > 400


def test_help_lists_gui_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_app(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--demo", "--from", "--to", "--tz", "--screenshot", "--view"):
        assert option in text
    assert "signin,range,results,detail,summary" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--from", DAY], "add --demo", id="from-without-demo"),
        pytest.param(["--demo", "--to", DAY], "--to needs --from", id="to-without-from"),
        pytest.param(["--demo", "--from", "2026-13-01"], "YYYY-MM-DD", id="bad-date"),
        pytest.param(["--demo", "--tz", "Mars/Base"], "not an IANA time zone", id="bad-zone"),
        pytest.param(
            ["--demo", "--from", "2026-12-02", "--to", DAY], "is before --from", id="reversed"
        ),
        pytest.param(["--screenshot", "x.png"], "needs --demo", id="screenshot-no-demo"),
    ],
)
def test_options_rejected_with_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_app(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def _run_demo_polling(poll: Any) -> int:
    """Run the app on the demo org, calling `poll` every 50 ms, and return its exit status.

    run_app sends the log to a file, as the app does; that is undone for the other tests.
    """
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(poll)
    timer.start()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        return run_app(["--demo", "--from", DAY, "--tz", "Europe/Dublin"])
    finally:
        timer.stop()
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_demo_opens_signed_in_and_fetches(qapp: Any, tmp_path: Path) -> None:
    from wrapup_desktop.ui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    seen: dict[str, object] = {}

    def close_when_done() -> None:
        # Called every 50 ms until the window exists; then waits for the end of its run.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and "window" not in seen:
                seen["window"] = widget
                widget.controller.runFinished.connect(
                    lambda _, window=widget: record_and_close(window)
                )

    def record_and_close(widget: MainWindow) -> None:
        seen["org"] = widget.org_label.text()
        seen["rows"] = widget.results.model.row_count_total()
        seen["days"] = widget.range_view.days()
        QTimer.singleShot(0, widget.close)

    status = _run_demo_polling(close_when_done)

    assert status == 0
    assert "rows" in seen, seen
    assert seen["org"] == "Signed in to Sandbox Org (demo)"
    assert isinstance(seen["rows"], int)
    assert seen["rows"] > 100
    assert seen["days"] == (date(2026, 12, 1), date(2026, 12, 1))


def test_demo_close_mid_run_quiet(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    import wrapup_desktop.genesys
    from wrapup_desktop.ui.errors_dialog import ExceptionHook
    from wrapup_desktop.ui.main_window import MainWindow

    async def never_answers(*args: Any, **kwargs: Any) -> Any:
        await asyncio.Event().wait()

    # Name lookups that never return keep the run going, as against a server that died.
    monkeypatch.setattr(wrapup_desktop.genesys, "load_directory", never_answers)
    hooked: list[BaseException] = []
    monkeypatch.setattr(
        ExceptionHook, "__call__", lambda self, kind, error, tb: hooked.append(error)
    )
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    seen: dict[str, MainWindow] = {}

    def close_mid_run() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.controller.rows:
                seen["window"] = widget
                assert widget.controller.running
                widget.close()

    status = _run_demo_polling(close_mid_run)

    assert status == 0
    assert not seen["window"].controller.running
    assert hooked == []
    assert "Traceback" not in capfd.readouterr().err
    assert qapp.quitOnLastWindowClosed()
