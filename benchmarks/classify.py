"""Measure decode + classify against bare `json.loads` and against the official Genesys SDK.

Run: `python benchmarks/classify.py [--conversations 100000] [--sdk 2000]`

The script builds pages of 100 realistic conversations (customer, IVR, queue and one or two
agents with alert, interact, hold and wrap-up segments, metrics and the routing fields real
responses carry), then times in one process:

1. `json.loads` of every page, the floor any Python reader pays;
2. `decode_page` + `classify_all`, the product's path from bytes to rows, keeping every row as
   the app does;
3. the SDK's deserialisation into `AnalyticsConversationQueryResponse` on a subset, scaled up
   linearly to the full count (the output states it).

Memory per row is the traced peak of classifying one page divided by its rows, and the size of
all rows kept. The SDK part is skipped when `PureCloudPlatformClientV2` is not installed.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from wrapup_desktop.domain.classify import classify_all
from wrapup_desktop.domain.decode import decode_page
from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo

PAGE_SIZE = 100
TARGET_RATIO = 1.5
PROMPTS = ("MANDATORY", "OPTIONAL", "MANDATORY_TIMEOUT", "AGENT_REQUESTED")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Generator:
    """Random but realistic details-query pages, reproducible from a seed."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.queues = [str(uuid.UUID(int=self.random.getrandbits(128))) for _ in range(20)]
        self.users = [str(uuid.UUID(int=self.random.getrandbits(128))) for _ in range(300)]
        self.codes = [str(uuid.UUID(int=self.random.getrandbits(128))) for _ in range(40)]
        self.start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def directory(self) -> Directory:
        return Directory(
            wrapup_codes={code: f"Code {index}" for index, code in enumerate(self.codes)},
            queues={
                queue: QueueInfo(f"Queue {index}", PROMPTS[index % 4], 30_000)
                for index, queue in enumerate(self.queues)
            },
            users={user: f"Agent {index}" for index, user in enumerate(self.users)},
            wrapup_codes_state=LookupState.FOUND,
            queues_state=LookupState.FOUND,
            users_state=LookupState.FOUND,
        )

    def _id(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128)))

    def _segment(
        self, kind: str, start: datetime, seconds: float, **extra: Any
    ) -> tuple[dict[str, Any], datetime]:
        end = start + timedelta(seconds=seconds)
        segment = {"segmentStart": _stamp(start), "segmentEnd": _stamp(end), "segmentType": kind}
        segment.update(extra)
        return segment, end

    def _agent(self, at: datetime, queue: str, transfer: bool) -> tuple[dict[str, Any], datetime]:
        rnd = self.random
        segments = []
        segment, at = self._segment("alert", at, rnd.uniform(2, 12), queueId=queue)
        segments.append(segment)
        talk = rnd.uniform(30, 600)
        segment, at = self._segment(
            "interact",
            at,
            talk,
            queueId=queue,
            disconnectType="transfer" if transfer else rnd.choice(("peer", "client")),
            requestedRoutingSkillIds=[self._id()],
        )
        segments.append(segment)
        if rnd.random() < 0.2:
            segment, at = self._segment("hold", at, rnd.uniform(5, 60), queueId=queue)
            segments.append(segment)
        acw = rnd.uniform(0, 90)
        wrapup: dict[str, Any] = {"queueId": queue, "disconnectType": "client"}
        draw = rnd.random()
        if draw < 0.7:
            wrapup["wrapUpCode"] = rnd.choice(self.codes)
            wrapup["wrapUpNote"] = "Customer asked about the invoice" if draw < 0.1 else ""
        elif draw < 0.85:
            wrapup["wrapUpCode"] = "ININ-WRAP-UP-TIMEOUT"
        segment, at = self._segment("wrapup", at, acw, **wrapup)
        segments.append(segment)
        user = rnd.choice(self.users)
        participant = {
            "participantId": self._id(),
            "participantName": "Agent",
            "purpose": "agent",
            "userId": user,
            "sessions": [
                {
                    "sessionId": self._id(),
                    "mediaType": "voice",
                    "direction": "inbound",
                    "ani": "tel:+15551230000",
                    "dnis": "tel:+15559870000",
                    "edgeId": self._id(),
                    "provider": "Edge",
                    "peerId": self._id(),
                    "protocolCallId": self._id(),
                    "remoteNameDisplayable": "Caller",
                    "requestedRoutings": ["Standard"],
                    "usedRouting": "Standard",
                    "segments": segments,
                    "metrics": [
                        {"name": "tAlert", "value": 5000, "emitDate": _stamp(at)},
                        {"name": "tTalk", "value": int(talk * 1000), "emitDate": _stamp(at)},
                        {"name": "tAcw", "value": int(acw * 1000), "emitDate": _stamp(at)},
                        {
                            "name": "tHandle",
                            "value": int((talk + acw) * 1000),
                            "emitDate": _stamp(at),
                        },
                        {"name": "nConnected", "value": 1, "emitDate": _stamp(at)},
                    ],
                }
            ],
        }
        return participant, at

    def conversation(self, index: int) -> dict[str, Any]:
        rnd = self.random
        start = self.start + timedelta(seconds=index * 7)
        queue = rnd.choice(self.queues)
        ivr, at = self._segment("ivr", start, rnd.uniform(5, 40), disconnectType="transfer")
        delay, at = self._segment("interact", at, rnd.uniform(1, 120), queueId=queue)
        participants: list[dict[str, Any]] = [
            {
                "participantId": self._id(),
                "participantName": "Mobile Caller",
                "purpose": "customer",
                "sessions": [
                    {
                        "sessionId": self._id(),
                        "mediaType": "voice",
                        "direction": "inbound",
                        "ani": "tel:+15551230000",
                        "dnis": "tel:+15559870000",
                        "segments": [
                            {
                                "segmentStart": _stamp(start),
                                "segmentEnd": _stamp(start + timedelta(seconds=900)),
                                "segmentType": "interact",
                                "disconnectType": "peer",
                            }
                        ],
                    }
                ],
            },
            {
                "participantId": self._id(),
                "participantName": "Main IVR",
                "purpose": "ivr",
                "sessions": [
                    {
                        "sessionId": self._id(),
                        "mediaType": "voice",
                        "direction": "inbound",
                        "flow": {
                            "flowId": self._id(),
                            "flowName": "Main",
                            "flowType": "INBOUNDCALL",
                        },
                        "segments": [ivr],
                    }
                ],
            },
            {
                "participantId": self._id(),
                "participantName": "Billing",
                "purpose": "acd",
                "sessions": [
                    {
                        "sessionId": self._id(),
                        "mediaType": "voice",
                        "direction": "inbound",
                        "segments": [delay],
                        "metrics": [{"name": "tAcd", "value": 12000, "emitDate": _stamp(at)}],
                    }
                ],
            },
        ]
        draw = rnd.random()
        if draw > 0.08:
            transfer = draw > 0.9
            agent, at = self._agent(at, queue, transfer)
            participants.append(agent)
            if transfer:
                second, at = self._agent(at, rnd.choice(self.queues), False)
                participants.append(second)
        return {
            "conversationId": self._id(),
            "conversationStart": _stamp(start),
            "conversationEnd": _stamp(at),
            "originatingDirection": "inbound",
            "divisionIds": [self._id()],
            "mediaStatsMinConversationMos": 4.4,
            "mediaStatsMinConversationRFactor": 92.1,
            "participants": participants,
        }

    def pages(self, conversations: int) -> list[bytes]:
        pages = []
        for first in range(0, conversations, PAGE_SIZE):
            count = min(PAGE_SIZE, conversations - first)
            items = [self.conversation(first + offset) for offset in range(count)]
            body = {"conversations": items, "totalHits": conversations}
            pages.append(json.dumps(body, separators=(",", ":")).encode())
        return pages


def _time(label: str, function: Any, pages: list[bytes]) -> tuple[float, Any]:
    """Run `function(pages)` and return its CPU seconds, printing CPU and wall time.

    Ratios use CPU time, which other processes on a shared machine disturb far less.
    """
    gc.collect()
    began_wall = time.perf_counter()
    began = time.process_time()
    result = function(pages)
    elapsed = time.process_time() - began
    wall = time.perf_counter() - began_wall
    print(f"{label:<42} {elapsed:8.3f} s CPU {wall:8.3f} s wall")
    return elapsed, result


def _json_loads(pages: list[bytes]) -> int:
    count = 0
    for page in pages:
        count += len(json.loads(page)["conversations"])
    return count


def _decode_and_classify(directory: Directory, split: list[float]) -> Any:
    """Return the product's path; `split` receives the decode and the classify seconds."""

    def run(pages: list[bytes]) -> list[Any]:
        rows: list[Any] = []
        decoding = classifying = 0.0
        for page in pages:
            began = time.process_time()
            decoded = decode_page(page)
            middle = time.process_time()
            rows.extend(classify_all(decoded.conversations, directory, decoded.malformed))
            decoding += middle - began
            classifying += time.process_time() - middle
        split[:] = [decoding, classifying]
        return rows

    return run


def _sdk(pages: list[bytes]) -> int:
    from PureCloudPlatformClientV2 import ApiClient  # type: ignore[import-untyped]

    client = ApiClient()
    count = 0
    for page in pages:
        data = json.loads(page)
        response = client._ApiClient__deserialize(data, "AnalyticsConversationQueryResponse")
        count += len(response.conversations)
    return count


def _memory_per_row(page: bytes, directory: Directory) -> tuple[float, float]:
    """Return the bytes per row still held once the page is gone, and the peak while working."""
    gc.collect()
    tracemalloc.start()
    decoded = decode_page(page)
    rows = classify_all(decoded.conversations, directory)
    del decoded
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return kept / len(rows), peak / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument(
        "--sdk", type=int, default=2_000, help="conversations for the SDK; 0 skips the SDK"
    )
    args = parser.parse_args(argv)

    generator = Generator()
    directory = generator.directory()
    began = time.perf_counter()
    pages = generator.pages(args.conversations)
    size = sum(map(len, pages))
    print(
        f"{args.conversations} conversations in {len(pages)} pages, {size / 1e6:.1f} MB, "
        f"generated in {time.perf_counter() - began:.1f} s; Python {sys.version.split()[0]}"
    )
    bare, _ = _time("json.loads", _json_loads, pages)
    split: list[float] = []
    ours, rows = _time("decode_page + classify_all", _decode_and_classify(directory, split), pages)
    decoding, classifying = split
    ratio = ours / bare
    print(f"  of which decode_page {decoding:.3f} s, classify_all {classifying:.3f} s")
    print(f"rows: {len(rows)}, {classifying / len(rows) * 1e6:.2f} µs of classify per row")
    print(f"decode + classify / json.loads = {ratio:.2f} (target <= {TARGET_RATIO})")
    kept, peak = _memory_per_row(pages[0], directory)
    print(f"memory per row (tracemalloc, one page): kept {kept:.0f} B, peak {peak:.0f} B")

    if args.sdk <= 0:
        return 0 if ratio <= TARGET_RATIO else 1
    try:
        import PureCloudPlatformClientV2  # noqa: F401
    except ImportError:
        print("SDK not installed: pip install PureCloudPlatformClientV2 to compare")
    else:
        subset = pages[: max(1, args.sdk // PAGE_SIZE)]
        subset_conversations = sum(len(json.loads(page)["conversations"]) for page in subset)
        sdk_time, _ = _time(
            f"SDK deserialize ({subset_conversations} conversations)", _sdk, subset
        )
        scaled = sdk_time * args.conversations / subset_conversations
        print(
            f"SDK scaled linearly to {args.conversations} conversations: {scaled:.1f} s = "
            f"{scaled / bare:.1f}× json.loads, {scaled / ours:.1f}× decode + classify"
        )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
