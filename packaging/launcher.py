"""Start WrapUp Desktop inside a PyInstaller bundle.

Both bundled executables run this script. The one whose name ends in `-gui` is built without a
console on Windows, and the Start menu, the macOS `.app` and the Linux desktop entry start it.
`wrapup-desktop` keeps its console, so scheduled reports on Windows can write to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from wrapup_desktop.__main__ import main, main_gui


def run() -> int:
    """Dispatch on the executable's name and return the process exit status."""
    if Path(sys.executable).stem.lower().endswith("-gui"):
        return main_gui()
    return main()


if __name__ == "__main__":
    sys.exit(run())
