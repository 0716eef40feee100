"""Measure what the bundle exclusions save: size and offscreen start-up, with and without them.

    python packaging/measure_bundle.py [--out DIR] [--runs N]

Builds the bundle twice (WRAPUP_BUNDLE_FULL=1, then the normal build), then times each bundle's
`wrapup-desktop --version`, a one-day demo export to CSV and the window's demo screenshot, all
with QT_QPA_PLATFORM=offscreen and a private home folder. Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

PACKAGING = Path(__file__).resolve().parent


def load_build() -> ModuleType:
    """Import packaging/build.py by path (the folder name would shadow the `packaging` library)."""
    spec = importlib.util.spec_from_file_location("wrapup_packaging_build", PACKAGING / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def folder_bytes(folder: Path) -> tuple[int, int]:
    """Return (total bytes, file count) of the regular files under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def median_seconds(command: list[str], runs: int, home: Path) -> float:
    """Run `command` `runs` times and return the median wall-clock time in seconds."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=home)  # noqa: S603
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(bundle: Path, runs: int) -> dict[str, float]:
    """Return size in MB, file count and median start-up times of one bundle."""
    day = (datetime.now(UTC).date() - timedelta(days=7)).isoformat()
    size, count = folder_bytes(bundle)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        cli = str(bundle / "wrapup-desktop")
        gui = str(bundle / "wrapup-desktop-gui")
        export = [cli, "export", "--demo", "--from", day, "--to", day, "--csv", "demo.csv"]
        window = [gui, "--demo", "--from", day, "--to", day, "--screenshot", "window.png"]
        return {
            "size_mb": size / 1_000_000,
            "files": count,
            "version_s": median_seconds([cli, "--version"], runs, home),
            "export_s": median_seconds(export, runs, home),
            "window_s": median_seconds(window, runs, home),
        }


def main() -> int:
    """Build both variants, measure them and print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("dist") / "measure")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    args = parser.parse_args()
    build = load_build()
    results = {}
    for label, full in (("without exclusions", True), ("with exclusions", False)):
        out = args.out.resolve() / ("full" if full else "trimmed")
        start = time.perf_counter()
        bundle = build.build_bundle(out / "dist", out / "work", full=full)
        build_s = time.perf_counter() - start
        results[label] = {"build_s": build_s, **measure(bundle, args.runs)}

    print(f"\nMedian of {args.runs} runs, QT_QPA_PLATFORM=offscreen, {os.cpu_count()} CPUs\n")
    print("| bundle | build s | size MB | files | --version s | demo export s | window s |")
    print("|---|---|---|---|---|---|---|")
    for label, row in results.items():
        print(
            f"| {label} | {row['build_s']:.0f} | {row['size_mb']:.0f} | {row['files']:.0f} "
            f"| {row['version_s']:.2f} | {row['export_s']:.2f} | {row['window_s']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
