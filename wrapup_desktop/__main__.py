"""Entry points: `wrapup-desktop` runs a command line subcommand or opens the window."""

from __future__ import annotations

import sys

from wrapup_desktop import __version__

SUBCOMMANDS = frozenset({"export", "classify", "lint-query", "sandbox", "forget-credentials"})


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand, print the version, or open the desktop window."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-V"]):
        print(f"wrapup-desktop {__version__}")
        return 0
    if args and args[0] in SUBCOMMANDS:
        from wrapup_desktop.cli.main import run_cli

        return run_cli(args)
    if args[:1] in (["-h"], ["--help"]):
        print(_TOP_HELP)
    from wrapup_desktop.ui.app import run_app

    return run_app(args)


def main_gui() -> int:
    """Start the window; the entry point of installers with no console."""
    return main()


_TOP_HELP = f"""wrapup-desktop {__version__}: Genesys Cloud wrap-up codes, classified, explained.

Commands for scripts and scheduled reports (each has --help):
  export              fetch a date range from Genesys Cloud and write CSV, XLSX or JSON Lines
  classify            classify saved API responses offline
  lint-query          check a details-query body copied from a script or tutorial
  sandbox             serve the sandbox org (a local Genesys API emulator) on 127.0.0.1
  forget-credentials  delete client secrets stored in the keychain

Without a command, the desktop window opens. Its options follow.
"""


if __name__ == "__main__":
    sys.exit(main())
