"""Measure the window: event-loop stalls during a big fetch, and time to the first window.

Run from the repository root:

    QT_QPA_PLATFORM=offscreen python benchmarks/ui.py [--conversations 100000] [--repeats 7]

1. Stall: the window signs in to the sandbox org, which `wrapup-desktop sandbox` serves from
   another process as a remote org would be. It fetches enough days to reach `--conversations`
   conversations (about 1,240 a day). Meanwhile a 10 ms QTimer measures the longest gap
   between two of its ticks, minus the 10 ms interval. It also reports the GUI thread's own CPU
   time inside the worst gaps, which tells work done on the GUI thread from time spent waiting
   for a core (on a loaded machine) or for the GIL (held by the classification worker). The
   run includes classifying the pages as they arrive, the name lookups, classifying the whole
   run again with the names, and loading the rows into the results table. Target: under 50 ms.
2. Start-up: separate processes start a bare PySide6 `QMainWindow` and the WrapUp Desktop
   window the way `wrapup-desktop` does; the parent times each from spawn until the child
   reports its window visible. Medians of `--repeats` runs each, interleaved. Target: the app
   under 1.5 times the bare window.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

PROBE_INTERVAL_MS = 10
STALL_TARGET_MS = 50.0
START_RATIO_TARGET = 1.5
CONVERSATIONS_PER_DAY = 1240
"""Average conversations per day in the sandbox org, weekends included; sets the day count."""
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

# Both children poll every millisecond for their visible window, print, and quit.
BARE_CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    def check():
        if window.isVisible():
            print("shown", flush=True)
            app.quit()
    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(1)
    app.exec()
    """
)
APP_CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    def check():
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == "MainWindow" and widget.isVisible():
                print("shown", flush=True)
                widget.close()
    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(1)
    from wrapup_desktop.ui.app import run_app
    sys.exit(run_app([]))
    """
)


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    """Serve the sandbox org in its own process, as a remote org would be."""
    command = [
        sys.executable,
        "-m",
        "wrapup_desktop",
        "sandbox",
        "--port",
        str(port),
        "--now",
        NOW.isoformat().replace("+00:00", "Z"),
    ]
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"the sandbox did not start on port {port}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def measure_stall(conversations: int, use_jobs: str = "auto") -> dict[str, float]:
    """Fetch `conversations` from the sandbox in the window; return the longest gap and more."""
    import asyncio

    import qasync
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from wrapup_desktop.genesys import resolve_endpoints
    from wrapup_desktop.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from wrapup_desktop.ui.controller import Controller
    from wrapup_desktop.ui.main_window import MainWindow
    from wrapup_desktop.ui.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    days = max(1, round(conversations / CONVERSATIONS_PER_DAY))
    last_day = NOW.date() - timedelta(days=2)
    first_day = last_day - timedelta(days=days - 1)
    scratch = Path(tempfile.mkdtemp(prefix="wrapup-bench-"))
    settings = AppSettings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    controller = Controller(clock=lambda: NOW)
    controller.use_jobs = use_jobs  # type: ignore[assignment]
    window = MainWindow(controller, settings)
    window.resize(1280, 800)
    window.show()
    port = free_port()
    server = start_sandbox(port)

    clock = QElapsedTimer()
    gaps: list[tuple[float, float, str]] = []
    state = {"last": 0.0, "cpu": 0.0}

    def tick() -> None:
        # The main thread's own CPU time in the gap separates work on the GUI thread from
        # waiting for the GIL or for a CPU core.
        now_ms = clock.nsecsElapsed() / 1e6
        cpu_ms = time.thread_time() * 1000
        phase = window.progress.status.text()[:60]
        gap = now_ms - state["last"] - PROBE_INTERVAL_MS
        gaps.append((gap, cpu_ms - state["cpu"], phase))
        state["last"] = now_ms
        state["cpu"] = cpu_ms

    probe = QTimer()
    probe.setInterval(PROBE_INTERVAL_MS)
    probe.timeout.connect(tick)

    async def run() -> dict[str, float]:
        endpoints = resolve_endpoints(f"http://127.0.0.1:{port}")
        await controller.sign_in_client(endpoints, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
        await window.load_filter_choices()
        window.range_view.set_zone("UTC")
        window.range_view.set_days(first_day, last_day)
        report = window.range_view.report_range()

        clock.start()
        state["cpu"] = time.thread_time() * 1000
        probe.start()
        started = time.perf_counter()
        summary = await window.get_conversations(report)
        elapsed = time.perf_counter() - started
        # More ticks show whether the results table left a late stall (its re-sort timer).
        await asyncio.sleep(1.0)
        probe.stop()
        assert summary is not None

        values = sorted(gap for gap, _, _ in gaps)
        worst = sorted(gaps, reverse=True)[:5]
        for gap, cpu, phase in worst:
            print(f"  stall {gap:6.1f} ms (GUI thread CPU {cpu:5.1f} ms) during: {phase}")
        return {
            "days": float(days),
            "conversations": float(summary.conversations),
            "rows": float(summary.rows),
            "run_s": elapsed,
            "max_stall_ms": values[-1] if values else 0.0,
            "max_gui_cpu_ms": max((cpu for _, cpu, _ in gaps), default=0.0),
            "p99_stall_ms": values[int(len(values) * 0.99)] if values else 0.0,
            "ticks": float(len(values)),
        }

    try:
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            result = runner.run(run())
            runner.run(controller.sign_out())
    finally:
        server.terminate()
        server.wait(timeout=10)
    window.close()
    del app
    return result


def time_child(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    shown = time.perf_counter() - started
    process.wait(timeout=60)
    if line.strip() != "shown":
        raise RuntimeError(f"the child did not show its window (printed {line!r})")
    return shown


def measure_startup(repeats: int) -> dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT)
    scratch = Path(tempfile.mkdtemp(prefix="wrapup-bench-home-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(scratch / name.lower())
    time_child(BARE_CHILD, env)  # warm the file cache once
    time_child(APP_CHILD, env)
    bare: list[float] = []
    app: list[float] = []
    for _ in range(repeats):
        bare.append(time_child(BARE_CHILD, env))
        app.append(time_child(APP_CHILD, env))
    bare_s = statistics.median(bare)
    app_s = statistics.median(app)
    return {"bare_s": bare_s, "app_s": app_s, "ratio": app_s / bare_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip-stall", action="store_true", help="measure start-up only")
    parser.add_argument(
        "--use-jobs",
        choices=("auto", "never", "always"),
        default="auto",
        help="how the fetch uses analytics jobs (default: auto, as the window does)",
    )
    args = parser.parse_args()

    ok = True
    if not args.skip_stall:
        stall = measure_stall(args.conversations, args.use_jobs)
        verdict = "ok" if stall["max_stall_ms"] < STALL_TARGET_MS else "OVER TARGET"
        ok &= verdict == "ok"
        print(
            f"fetch: {stall['conversations']:,.0f} conversations, {stall['rows']:,.0f} rows, "
            f"{stall['days']:.0f} days in {stall['run_s']:.1f} s (jobs: {args.use_jobs})"
        )
        print(
            f"event-loop stall: max {stall['max_stall_ms']:.1f} ms, "
            f"p99 {stall['p99_stall_ms']:.1f} ms over {stall['ticks']:.0f} ticks "
            f"(target < {STALL_TARGET_MS:.0f} ms): {verdict}"
        )
        print(
            f"  most GUI-thread CPU inside one gap: {stall['max_gui_cpu_ms']:.1f} ms "
            f"(the rest of a gap is waiting for a core or the GIL; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
    start = measure_startup(args.repeats)
    verdict = "ok" if start["ratio"] < START_RATIO_TARGET else "OVER TARGET"
    ok &= verdict == "ok"
    print(
        f"first window: app {start['app_s'] * 1000:.0f} ms, bare QMainWindow "
        f"{start['bare_s'] * 1000:.0f} ms, ratio {start['ratio']:.2f} "
        f"(median of {args.repeats}; target < {START_RATIO_TARGET}): {verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
