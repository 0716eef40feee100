"""`DayBuilder`: seeded draws and participant builders for generating one UTC day.

Every random choice of a day comes from one stream seeded with (org seed, day), so a day is
the same whenever it is generated, whatever else was generated before.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from wrapup_desktop.sandbox import directory as dirs
from wrapup_desktop.sandbox.formats import day_start_ms, new_guid
from wrapup_desktop.sandbox.legs import Span, participant, session

PLAIN_NOTES = (
    "Customer happy with the outcome",
    "Sent confirmation by e-mail",
    "Asked to call back Monday",
    "Escalated to team lead",
    "Card details updated",
)
SPECIAL_NOTES = (
    'Customer said "cancel everything" twice',
    "First line\nSecond line: follow up on Tuesday",
    "=SUM(A1:A9) typed by the caller",
    "Réclamation reçue – rappeler Mme Ibáñez à 14 h",
    '=HYPERLINK("http://example.invalid","click")\r\n"quoted"',
)
DNIS = "tel:+18005550100"


class DayBuilder:
    """Seeded draws and participant builders; `scenarios` adds one method per scenario."""

    def __init__(self, org: dirs.OrgDirectory, day: date) -> None:
        self.org = org
        self.rng = random.Random(f"wrapup-sandbox-day:{org.seed}:{day.isoformat()}")
        self.day_ms = day_start_ms(day)
        self.weekend = day.weekday() >= 5
        self.home_division = next(iter(org.divisions))

    # -- small draws -------------------------------------------------------------------------

    def guid(self) -> str:
        return new_guid(self.rng)

    def between(self, low_s: float, high_s: float) -> int:
        return int(self.rng.uniform(low_s, high_s) * 1000)

    def talk_ms(self, media: str) -> int:
        mean_s = {"voice": 240.0, "callback": 200.0, "chat": 480.0, "message": 360.0}.get(
            media, 600.0
        )
        return int(min(max(self.rng.expovariate(1 / mean_s), 20.0), 2400.0) * 1000)

    def acw_ms(self, queue: dirs.Queue) -> int:
        if queue.wrapup_prompt == "MANDATORY_FORCED_TIMEOUT" and queue.timeout_ms:
            return queue.timeout_ms
        if queue.timeout_ms:
            return self.rng.randint(4_000, queue.timeout_ms - 1_000)
        return self.between(5, 150)

    def agent(self, queue: dirs.Queue) -> dirs.User:
        return self.org.users_by_id[self.rng.choice(queue.agent_ids)]

    def code(self, queue: dirs.Queue) -> str:
        return self.rng.choice(queue.code_ids)

    def note(self) -> str | None:
        roll = self.rng.random()
        if roll < 0.2:
            return self.rng.choice(PLAIN_NOTES)
        # Real exports often carry an empty note rather than none.
        return "" if roll < 0.3 else None

    def queue(self, *indexes: int) -> dirs.Queue:
        return self.org.queues[self.rng.choice(indexes)]

    def phone(self) -> str:
        prefix = self.rng.choice(("1555", "61412", "4420", "3361"))
        return f"tel:+{prefix}{self.rng.randrange(10**6, 10**7)}"

    # -- participants --------------------------------------------------------------------------

    def customer(
        self, media: str, direction: str, start: int, end: int, **extra: Any
    ) -> dict[str, Any]:
        session_extra: dict[str, Any] = {}
        name: str | None = None
        if media in ("voice", "callback"):
            ani = self.phone()
            session_extra = (
                {"ani": ani, "dnis": DNIS}
                if direction == "inbound"
                else {"ani": DNIS, "dnis": ani}
            )
            name = "Mobile Caller" if self.rng.random() < 0.5 else ani.removeprefix("tel:")
        elif media == "email":
            session_extra = {
                "addressFrom": "customer@example.invalid",
                "addressTo": "support@sandbox.example",
            }
            name = "Customer"
        else:
            name = self.rng.choice(("Customer", "Ramón Ortega", "Chris Customer", "Zoë Walsh"))
            if media == "message":
                session_extra = {"messageType": "webmessaging"}
        span_extra: dict[str, Any] = {"disconnectType": extra.pop("disconnect", "peer")}
        span_extra.update(extra)
        spans = [Span(start, end, "interact", span_extra)]
        sess = session(self.guid(), "customer", media, direction, spans, session_extra)
        return participant(self.guid(), "customer", [sess], name=name)

    def ivr(self, start: int, end: int, disconnect: str = "transfer") -> dict[str, Any]:
        spans = [Span(start, end, "ivr", {"disconnectType": disconnect})]
        extra = {"flowInType": "inbound", "ani": self.phone(), "dnis": DNIS}
        sess = session(self.guid(), "ivr", "voice", "inbound", spans, extra)
        return participant(self.guid(), "ivr", [sess], name="Main IVR")

    def acd(
        self, queue: dirs.Queue, media: str, start: int, end: int, *, abandoned: bool = False
    ) -> dict[str, Any]:
        extra = {"queueId": queue.id, "disconnectType": "peer" if abandoned else "transfer"}
        sess = session(self.guid(), "acd", media, "inbound", [Span(start, end, "interact", extra)])
        return participant(self.guid(), "acd", [sess], name=queue.name)

    def agent_part(
        self,
        user: dirs.User,
        media: str,
        direction: str,
        spans: list[Span],
        *,
        purpose: str = "agent",
        session_extra: dict[str, Any] | None = None,
        more_sessions: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        sess = session(self.guid(), purpose, media, direction, spans, session_extra)
        sessions = [*(more_sessions or []), sess]
        return participant(self.guid(), purpose, sessions, name=user.name, user_id=user.id)
