"""Start the desktop window: options, logging, the exception hook and the qasync loop.

`run_app(argv)` is what `wrapup-desktop` runs without a subcommand. Qt and asyncio share one
loop (`qasync.QEventLoop`), so the engine's coroutines run while the window repaints.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from wrapup_desktop.ui.log_view import QtLogHandler
    from wrapup_desktop.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

VIEWS = ("signin", "range", "results", "detail", "summary")
"""Views that --screenshot can save."""

DESCRIPTION = """Open the WrapUp Desktop window.

Sign in with a Genesys Cloud OAuth client, pick the days, and see every conversation your
agents handled with its wrap-up code classified and explained."""

EPILOG = """examples:
  wrapup-desktop --demo
      open the window signed in to the built-in demo org and fetch yesterday
  wrapup-desktop --demo --from 2026-11-02 --to 2026-11-08 --tz Europe/Dublin
      fetch a week of the demo org, with times in Dublin time
  wrapup-desktop --demo --from 2026-11-02 --to 2026-11-02 --screenshot out.png --view summary
      save a PNG of the Summary tab and exit (works with QT_QPA_PLATFORM=offscreen)"""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, for example 2026-11-02"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wrapup-desktop",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="sign in to the built-in demo org (no Genesys account needed) and fetch "
        "yesterday, or the days of --from and --to",
    )
    parser.add_argument(
        "--from", dest="start", type=_day, metavar="DATE", help="first day, YYYY-MM-DD"
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=_day,
        metavar="DATE",
        help="last day, YYYY-MM-DD (default: --from)",
    )
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help="report time zone, an IANA name such as Europe/Dublin (default: this computer's)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="save a PNG of the window (1280x800) to FILE once the view is ready, then exit",
    )
    parser.add_argument(
        "--view",
        choices=VIEWS,
        default="results",
        help="the view that --screenshot saves (default: results)",
    )
    parser.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default="INFO",
        help="minimum level of the records written to the log file (default: INFO)",
    )
    return parser


def run_app(argv: list[str]) -> int:
    """Open the window with the options in `argv` and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.end is not None and args.start is None:
        parser.error("--to needs --from")
    if args.start is not None and not args.demo:
        parser.error("--from and --to fetch from the demo org only; add --demo")
    if args.screenshot is not None and args.view != "signin" and not args.demo:
        parser.error(f"--view {args.view} needs --demo, the org the screenshot shows")
    if args.start is not None and args.end is not None and args.end < args.start:
        parser.error(f"--to {args.end} is before --from {args.start}")
    if args.tz:
        import zoneinfo

        if args.tz not in zoneinfo.available_timezones():
            parser.error(f"--tz {args.tz!r} is not an IANA time zone, such as Europe/Dublin")

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "wrapup-desktop"])
    # The loop ends when `_main` returns, after the window's `closed` signal. If Qt quit by
    # itself on the last window, the loop would stop while a run is still being wound down.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    _describe_app(app)
    window, handler = _build_window(args)
    if args.screenshot is None:
        # Painted before logging, asyncio and qasync load, so the window appears sooner.
        window.show()
        app.processEvents()
    from wrapup_desktop.ui.icons import app_icon

    # The SVG icon takes a few milliseconds to load, so it follows the first paint.
    app.setWindowIcon(app_icon())

    import asyncio

    import qasync

    from wrapup_desktop.logsetup import (
        RedactingFilter,
        configure_logging,
        default_log_dir,
        log_file_path,
    )
    from wrapup_desktop.ui.errors_dialog import ExceptionHook

    # Screenshot mode runs unattended, so its log also goes to stderr.
    configure_logging(getattr(logging, args.log_level), console=args.screenshot is not None)
    handler.addFilter(RedactingFilter())
    logging.getLogger().addHandler(handler)
    log_path = log_file_path()
    hook = ExceptionHook(lambda: window, str(log_path.parent if log_path else default_log_dir()))
    hook.install()
    try:
        # asyncio.run takes a loop factory only from Python 3.12; Runner has it in 3.11.
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            status: int = runner.run(_main(app, window, args))
    finally:
        hook.uninstall()
        logging.getLogger().removeHandler(handler)
        window.deleteLater()
        app.setQuitOnLastWindowClosed(quit_on_close)
    return status


def _describe_app(app: QApplication) -> None:
    from wrapup_desktop import __version__
    from wrapup_desktop.ui.settings import APPLICATION, ORGANIZATION

    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("wrapup-desktop")


def _build_window(args: argparse.Namespace) -> tuple[MainWindow, QtLogHandler]:
    from PySide6.QtCore import QSettings

    from wrapup_desktop.ui.controller import Controller
    from wrapup_desktop.ui.log_view import QtLogHandler
    from wrapup_desktop.ui.main_window import MainWindow
    from wrapup_desktop.ui.settings import AppSettings

    if args.screenshot is not None:
        import tempfile
        from pathlib import Path

        # A screenshot starts from default settings, never from this computer's saved ones.
        scratch = Path(tempfile.mkdtemp(prefix="wrapup-screenshot-"))
        settings = AppSettings(
            QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
        )
    else:
        settings = AppSettings()
    handler = QtLogHandler()
    window = MainWindow(Controller(), settings, log_handler=handler)
    return window, handler


async def _main(app: QApplication, window: MainWindow, args: argparse.Namespace) -> int:
    days = _days(args)
    try:
        if args.screenshot is not None:
            from pathlib import Path

            from wrapup_desktop.ui.screenshot import capture

            return await capture(window, args.view, Path(args.screenshot), days, args.tz)
        return await _interactive(app, window, args, days)
    finally:
        # Close first: the window cancels the run and stops showing it. Then give the run a
        # moment to end, before its session closes under it.
        window.close()
        await window.finish_run()
        await window.controller.sign_out(emit=False)


def _days(args: argparse.Namespace) -> tuple[date, date] | None:
    if args.start is None:
        return None
    return args.start, args.end or args.start


async def _interactive(
    app: QApplication,
    window: MainWindow,
    args: argparse.Namespace,
    days: tuple[date, date] | None,
) -> int:
    import asyncio

    closed = asyncio.Event()
    window.closed.connect(closed.set)
    if args.tz:
        window.range_view.set_zone(args.tz)
    if not window.isVisible():
        return 0  # closed while it was being painted, before the loop started
    if args.demo:
        # A first-time user of --demo wants to see rows at once: sign in and fetch yesterday.
        await window.signin.sign_in_demo()
        if days is None:
            yesterday = window.range_view.today() - timedelta(days=1)
            days = (yesterday, yesterday)
        window.range_view.set_days(*days)
        run = window.get_conversations(window.range_view.report_range())
        # Closing the window during this first run ends the app; `_main` then stops the run.
        closing = asyncio.ensure_future(closed.wait())
        await asyncio.wait({run, closing}, return_when=asyncio.FIRST_COMPLETED)
        closing.cancel()
    if window.isVisible():
        await closed.wait()
    return 0
