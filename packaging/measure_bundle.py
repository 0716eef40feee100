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


def private_env(home: Path) -> dict[str, str]:
    """Return an environment whose settings, log and cache folders lie under `home`."""
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
    return env


def timed_run(command: list[str], home: Path) -> float:
    """Run `command` once and return its wall-clock time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=private_env(home), cwd=home)  # noqa: S603
    return time.perf_counter() - start


def commands(bundle: Path) -> dict[str, list[str]]:
    """Return the timed commands of one bundle: version, demo export, window screenshot."""
    day = (datetime.now(UTC).date() - timedelta(days=7)).isoformat()
    cli = str(bundle / "wrapup-desktop")
    gui = str(bundle / "wrapup-desktop-gui")
    return {
        "version_s": [cli, "--version"],
        "export_s": [cli, "export", "--demo", "--from", day, "--to", day, "--csv", "demo.csv"],
        "window_s": [gui, "--demo", "--from", day, "--to", day, "--screenshot", "window.png"],
    }


def measure(bundles: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Return size in MB, file count and median times of each bundle.

    The bundles take turns on every run, so a load change on the machine hits both alike.
    """
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in bundles}
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        for _ in range(runs):
            for label, bundle in bundles.items():
                for name, command in commands(bundle).items():
                    samples[label].setdefault(name, []).append(timed_run(command, home))
    results = {}
    for label, bundle in bundles.items():
        size, count = folder_bytes(bundle)
        row = {"size_mb": size / 1_000_000, "files": float(count)}
        row |= {name: statistics.median(times) for name, times in samples[label].items()}
        results[label] = row
    return results


def main() -> int:
    """Build both variants, measure them and print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("dist") / "measure")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    parser.add_argument(
        "--no-build", action="store_true", help="time the bundles an earlier run built in --out"
    )
    args = parser.parse_args()
    build = load_build()
    bundles = {}
    build_seconds = {}
    for label, full in (("without exclusions", True), ("with exclusions", False)):
        out = args.out.resolve() / ("full" if full else "trimmed")
        start = time.perf_counter()
        if args.no_build:
            bundles[label] = out / "dist" / "wrapup-desktop"
        else:
            bundles[label] = build.build_bundle(out / "dist", out / "work", full=full)
        build_seconds[label] = time.perf_counter() - start
    results = measure(bundles, args.runs)

    print(f"\nMedian of {args.runs} runs, QT_QPA_PLATFORM=offscreen, {os.cpu_count()} CPUs\n")
    print("| bundle | build s | size MB | files | --version s | demo export s | window s |")
    print("|---|---|---|---|---|---|---|")
    for label, row in results.items():
        print(
            f"| {label} | {build_seconds[label]:.0f} | {row['size_mb']:.0f} | {row['files']:.0f} "
            f"| {row['version_s']:.2f} | {row['export_s']:.2f} | {row['window_s']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
