"""Measure the results model: load, sort, filter and memory, against QSortFilterProxyModel.

Run from the repository root:

    QT_QPA_PLATFORM=offscreen python benchmarks/ui_model.py [--rows 1000000] [--proxy-rows 20000]

The rows are synthetic but shaped like a real run: about 1.15 legs per conversation, 200 agents,
30 queues, 40 codes, ten statuses with realistic weights, and reasons that name the queue. Memory
is the resident set size of the whole process, read from /proc on Linux. It includes Python and Qt
themselves, so the baseline before loading is printed too. Targets: sort under 1.5 s and filter
under 0.5 s for 1,000,000 rows, and under 1.5 GB resident with them loaded.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.ui.results_model import COLUMNS, ResultsModel

WEIGHTS = {
    WrapupStatus.ASSIGNED: 70,
    WrapupStatus.MISSING: 8,
    WrapupStatus.TIMEOUT: 6,
    WrapupStatus.SKIPPED: 2,
    WrapupStatus.SYSTEM: 3,
    WrapupStatus.NOT_REQUIRED: 5,
    WrapupStatus.PENDING: 1,
    WrapupStatus.NOT_CONNECTED: 3,
    WrapupStatus.NO_AGENT: 4,
    WrapupStatus.MALFORMED: 1,
}
START = datetime(2026, 11, 1, tzinfo=UTC)


def legs(count: int, seed: int = 1) -> Iterator[list[LegRow]]:
    """Yield `count` synthetic legs in chunks of 50,000, in start order like a fetch."""
    rng = random.Random(seed)
    agents = [(f"u-{n:04d}-{rng.getrandbits(64):016x}", f"Agent {n:03d}") for n in range(200)]
    queues = [(f"q-{n:02d}-{rng.getrandbits(64):016x}", f"Queue {n:02d}") for n in range(30)]
    codes = [(f"wc-{n:02d}-{rng.getrandbits(64):016x}", f"Code {n:02d}") for n in range(40)]
    statuses = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    step = 30 * 24 * 3600 / count
    chunk: list[LegRow] = []
    made = 0
    while made < count:
        conversation_id = f"{rng.getrandbits(128):032x}"
        start = START + timedelta(seconds=made * step)
        queue = rng.choice(queues)
        for seq in range(1, 2 if rng.random() < 0.85 else 3):
            status = rng.choices(statuses, weights)[0]
            agent = rng.choice(agents)
            code = rng.choice(codes) if status == WrapupStatus.ASSIGNED else ("", "")
            chunk.append(
                LegRow(
                    conversation_id=conversation_id,
                    conversation_start=start,
                    conversation_end=start + timedelta(seconds=rng.randrange(60, 900)),
                    media_type=rng.choice(("voice", "voice", "chat", "email")),
                    direction="inbound",
                    queue_id=queue[0],
                    queue_name=queue[1],
                    agent_id=agent[0],
                    agent_name=agent[1],
                    participant_id=f"{rng.getrandbits(128):032x}",
                    wrapup_status=status,
                    wrapup_code_id=code[0],
                    wrapup_code_name=code[1],
                    wrapup_count=int(bool(code[0])),
                    acw_seconds=round(rng.uniform(0, 120), 3),
                    wrapup_reason=f"{status.value.title()} on queue {queue[1]}.",
                    transfer_seq=seq,
                )
            )
            made += 1
            if len(chunk) == 50_000:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def rss_mib() -> float:
    """Return the current resident set size in MiB (Linux /proc; peak RSS elsewhere)."""
    statm = Path("/proc/self/statm")
    if statm.exists():
        pages = int(statm.read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Run `action`; return wall-clock and CPU seconds (CPU time is steadier on a busy host)."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    action()
    return time.perf_counter() - started, time.process_time() - cpu_started


def seconds_text(times: tuple[float, float]) -> str:
    wall, cpu = times
    return f"{wall:>7.2f} s wall {cpu:>7.2f} s CPU"


def column(name: str) -> int:
    return COLUMNS.index(name)


def measure_model(count: int) -> None:
    baseline = rss_mib()
    model = ResultsModel()
    load_wall = load_cpu = 0.0
    for chunk in legs(count):
        wall, cpu = timed(lambda c=chunk: model.append_rows(c))
        load_wall += wall
        load_cpu += cpu
    loaded = rss_mib()
    print(f"Rows loaded:                     {model.row_count_total():>12,}")
    print(f"append_rows total:               {seconds_text((load_wall, load_cpu))}")
    print(f"RSS before / after loading:      {baseline:>8.0f} / {loaded:.0f} MiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RSS peak (ru_maxrss):            {peak:>8.0f} MiB")
    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    for name, order in (
        ("conversation_start", desc),
        ("agent_name", asc),
        ("participant_id", asc),
        ("acw_seconds", desc),
        ("wrapup_status", asc),
        ("transfer_seq", asc),
    ):
        times = timed(lambda n=name, o=order: model.sort(column(n), o))
        print(f"sort {name:<27} {seconds_text(times)}")
    filters: list[tuple[str, Callable[[], None]]] = [
        (
            "status MISSING+TIMEOUT",
            lambda: model.set_status_filter({WrapupStatus.MISSING, WrapupStatus.TIMEOUT}),
        ),
        ("status off", lambda: model.set_status_filter(None)),
        ("text 'agent 01'", lambda: model.set_text_filter("agent 01")),
        ("text 'queue 2'", lambda: model.set_text_filter("queue 2")),
        ("text off", lambda: model.set_text_filter("")),
        ("day 2026-11-15", lambda: model.set_dimension_filter("day", "2026-11-15")),
        ("clear all", model.clear_filters),
    ]
    for label, action in filters:
        times = timed(action)
        print(f"filter {label:<25} {seconds_text(times)}  ({model.rowCount():,} rows shown)")
    print(f"RSS after sorting and filtering: {rss_mib():>8.0f} MiB")


def measure_proxy(count: int) -> None:
    source = ResultsModel()
    for chunk in legs(count, seed=2):
        source.append_rows(chunk)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(column("agent_name"))
    ours = ResultsModel()
    for chunk in legs(count, seed=2):
        ours.append_rows(chunk)
    ours.set_search_columns(["agent_name"])
    agent = column("agent_name")
    proxy_sort = timed(lambda: proxy.sort(agent, Qt.SortOrder.AscendingOrder))[1]
    ours_sort = timed(lambda: ours.sort(agent, Qt.SortOrder.AscendingOrder))[1]
    proxy_filter = timed(lambda: proxy.setFilterFixedString("agent 01"))[1]
    ours_filter = timed(lambda: ours.set_text_filter("agent 01"))[1]
    assert proxy.rowCount() == ours.rowCount(), (proxy.rowCount(), ours.rowCount())
    print(f"\nSide by side with QSortFilterProxyModel, {count:,} rows, agent name, CPU time:")
    print(
        f"sort:   proxy {proxy_sort:8.3f} s   model {ours_sort:8.3f} s   "
        f"ratio {proxy_sort / max(ours_sort, 1e-9):8.0f}x"
    )
    print(
        f"filter: proxy {proxy_filter:8.3f} s   model {ours_filter:8.3f} s   "
        f"ratio {proxy_filter / max(ours_filter, 1e-9):8.0f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the model (count)")
    parser.add_argument(
        "--proxy-rows", type=int, default=20_000, help="rows for the proxy comparison (count)"
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {sys.platform}")
    measure_model(args.rows)
    measure_proxy(args.proxy_rows)
    del app


if __name__ == "__main__":
    main()
