"""Generate one UTC day of conversations for the sandbox org, deterministically from the seed.

Each conversation follows one `Scenario`, a situation the export must classify: coded calls,
transfers, dialer results, timeouts, skipped after-call work, deleted codes and users, and so
on. `generate_day` returns every conversation of the day with its full lifecycle; `SandboxOrg`
cuts off what has not happened yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from wrapup_desktop.sandbox import directory as dirs
from wrapup_desktop.sandbox.day_builder import DNIS, SPECIAL_NOTES, DayBuilder
from wrapup_desktop.sandbox.formats import iso_ms, parse_instant, to_ms
from wrapup_desktop.sandbox.legs import Span, Wrap, agent_spans, participant, session

# Participants, originatingDirection and divisionIds of one conversation.
Built = tuple[list[dict[str, Any]], str, list[str]]


class Scenario(StrEnum):
    """The situation one generated conversation follows; tests read it, the API never shows it."""

    VOICE_CODED = "voice_coded"
    OPTIONAL_NO_CODE = "optional_no_code"
    ACW_SKIPPED = "acw_skipped"
    CALLBACK = "callback"
    CHAT = "chat"
    MESSAGE = "message"
    EMAIL = "email"
    OUTBOUND_DIALER = "outbound_dialer"
    BLIND_TRANSFER = "blind_transfer"
    CONFERENCE = "conference"
    CONSULT = "consult"
    IVR_ONLY = "ivr_only"
    ABANDONED = "abandoned"
    ALERT_NO_ANSWER = "alert_no_answer"
    WRAPUP_TIMEOUT = "wrapup_timeout"
    WRAPUP_SKIPPED = "wrapup_skipped"
    MULTI_WRAPUP = "multi_wrapup"
    CODELESS_WRAPUP = "codeless_wrapup"
    DELETED_CODE = "deleted_code"
    DELETED_USER = "deleted_user"
    SPECIAL_NOTE = "special_note"
    LONG_ACW = "long_acw"


# Relative frequency of each scenario (per 1,030 conversations).
_WEIGHTS: dict[Scenario, int] = {
    Scenario.VOICE_CODED: 430,
    Scenario.OPTIONAL_NO_CODE: 40,
    Scenario.ACW_SKIPPED: 20,
    Scenario.CALLBACK: 30,
    Scenario.CHAT: 70,
    Scenario.MESSAGE: 50,
    Scenario.EMAIL: 40,
    Scenario.OUTBOUND_DIALER: 80,
    Scenario.BLIND_TRANSFER: 50,
    Scenario.CONFERENCE: 15,
    Scenario.CONSULT: 20,
    Scenario.IVR_ONLY: 40,
    Scenario.ABANDONED: 40,
    Scenario.ALERT_NO_ANSWER: 25,
    Scenario.WRAPUP_TIMEOUT: 25,
    Scenario.WRAPUP_SKIPPED: 8,
    Scenario.MULTI_WRAPUP: 10,
    Scenario.CODELESS_WRAPUP: 15,
    Scenario.DELETED_CODE: 5,
    Scenario.DELETED_USER: 5,
    Scenario.SPECIAL_NOTE: 12,
}
_SCENARIOS = list(_WEIGHTS)
_SCENARIO_WEIGHTS = list(_WEIGHTS.values())

# Arrivals per UTC hour, relative; the org is busiest in European and American office hours.
_HOUR_WEIGHTS = (1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 10, 9, 9, 9, 10, 10, 9, 7, 5, 3, 2, 2, 1, 1)
DEFAULT_WEEKDAY_VOLUME = 1500
# Saturdays and Sundays get this fraction of the weekday volume.
WEEKEND_SHARE = 0.4
# No generated conversation lasts longer than this, so a day's data is final this long after.
MAX_LIFETIME_MS = 6 * 3_600_000

DIALER_CODES = (
    "ININ-OUTBOUND-MACHINE",
    "ININ-OUTBOUND-BUSY",
    "ININ-OUTBOUND-PREVIEW-SKIPPED",
    "ININ-OUTBOUND-FAX",
    "ININ-OUTBOUND-DISCONNECT",
    "ININ-OUTBOUND-ON-DO-NOT-CALL-LIST",
    "ININ-OUTBOUND-SIT-UNCALLABLE",
    "ININ-OUTBOUND-FAILED-TO-REACH-AGENT",
)
_SESSION_INACTIVE = "error.ininedgecontrol.session.inactive"
_SLOT_MS = 15 * 60_000
_LONG_ACW_SLOTS = 96


@dataclass(slots=True)
class GeneratedConversation:
    """One conversation as generated: its JSON, its bounds in epoch ms, and its scenario."""

    conversation: dict[str, Any]
    start_ms: int
    end_ms: int
    scenario: Scenario


class _ScenarioBuilder(DayBuilder):
    """Builds one conversation per scenario on top of the day's seeded draws."""

    def generate(self, weekday_volume: int) -> list[GeneratedConversation]:
        mean = weekday_volume * WEEKEND_SHARE if self.weekend else weekday_volume
        count = max(0, int(self.rng.gauss(mean, mean * 0.03)) - _LONG_ACW_SLOTS)
        hours = self.rng.choices(range(24), _HOUR_WEIGHTS, k=count)
        starts = [self.day_ms + hour * 3_600_000 + self.rng.randrange(3_600_000) for hour in hours]
        planned = list(
            zip(starts, self.rng.choices(_SCENARIOS, _SCENARIO_WEIGHTS, k=count), strict=True)
        )
        # One call per quarter hour whose agent stays in after-call work for about 25 minutes,
        # so that at any moment some agent is in ACW and some conversation is still open.
        planned += [
            (self.day_ms + slot * _SLOT_MS + self.rng.randrange(60_000), Scenario.LONG_ACW)
            for slot in range(_LONG_ACW_SLOTS)
        ]
        planned.sort(key=lambda item: item[0])
        return [self.conversation(start, scenario) for start, scenario in planned]

    def conversation(self, start: int, scenario: Scenario) -> GeneratedConversation:
        build = getattr(self, f"build_{scenario.value}")
        parts, direction, divisions = build(start)
        end = _last_end(parts)
        conversation: dict[str, Any] = {
            "conversationId": self.guid(),
            "conversationStart": iso_ms(start),
            "conversationEnd": iso_ms(end),
            "originatingDirection": direction,
            "divisionIds": sorted(set(divisions)),
            "participants": parts,
        }
        return GeneratedConversation(conversation, start, end, scenario)

    def inbound_agent_call(
        self,
        start: int,
        queue: dirs.Queue,
        *,
        user: dirs.User | None = None,
        wraps: list[tuple[str | None, str | None]] | None = None,
        acw_ms: int | None = None,
        hold_ms: int | None = None,
        session_extra: dict[str, Any] | None = None,
    ) -> Built:
        """Build an inbound call through the IVR and a queue to one agent.

        `wraps` lists (code, note) per wrap-up segment, [] for none. A hold of `hold_ms` (a
        random one for a quarter of calls when None) sits in the middle of a long enough call.
        """
        ivr_end = start + self.between(15, 90)
        answer = ivr_end + self.between(5, 240)
        alert_start = answer - self.between(3, 12)
        hangup = answer + self.talk_ms("voice")
        user = user or self.agent(queue)
        if wraps is None:
            wraps = [(self.code(queue), self.note())]
        wrap_segments: list[Wrap] = []
        cursor = hangup
        if self.rng.random() < 0.05:
            # Seen in real data: the wrap-up starts 100 ms before the interact segment ends.
            cursor -= 100
        for code, note in wraps:
            length = acw_ms if acw_ms is not None else self.acw_ms(queue)
            wrap_segments.append(Wrap(cursor, cursor + length, code, note))
            cursor += length
        if hold_ms is None:
            hold_ms = self.between(20, 120) if self.rng.random() < 0.25 else 0
        spans = agent_spans(queue.id, alert_start, answer, hangup, wrap_segments, hold_ms=hold_ms)
        parts = [
            self.customer("voice", "inbound", start, hangup, disconnect="client"),
            self.ivr(start, ivr_end),
            self.acd(queue, "voice", ivr_end, answer),
            self.agent_part(user, "voice", "inbound", spans, session_extra=session_extra),
        ]
        return parts, "inbound", [queue.division_id]

    def build_voice_coded(self, start: int) -> Built:
        queue = self.queue(dirs.SUPPORT, dirs.SUPPORT, dirs.BILLING, dirs.CLAIMS, dirs.SALES)
        return self.inbound_agent_call(start, queue)

    def build_optional_no_code(self, start: int) -> Built:
        return self.inbound_agent_call(start, self.org.queues[dirs.SALES], wraps=[])

    def build_acw_skipped(self, start: int) -> Built:
        queue = self.org.queues[dirs.SALES]
        return self.inbound_agent_call(start, queue, wraps=[], session_extra={"acwSkipped": True})

    def build_wrapup_timeout(self, start: int) -> Built:
        queue = self.queue(dirs.BILLING, dirs.CLAIMS)
        wraps: list[tuple[str | None, str | None]] = [("ININ-WRAP-UP-TIMEOUT", None)]
        return self.inbound_agent_call(start, queue, wraps=wraps, acw_ms=queue.timeout_ms)

    def build_wrapup_skipped(self, start: int) -> Built:
        wraps: list[tuple[str | None, str | None]] = [("ININ-WRAP-UP-SKIPPED", None)]
        return self.inbound_agent_call(
            start, self.org.queues[dirs.SUPPORT], wraps=wraps, acw_ms=800
        )

    def build_multi_wrapup(self, start: int) -> Built:
        queue = self.org.queues[dirs.SUPPORT]
        first = None if self.rng.random() < 0.5 else self.code(queue)
        wraps = [(first, None), (self.code(queue), self.note())]
        return self.inbound_agent_call(start, queue, wraps=wraps)

    def build_codeless_wrapup(self, start: int) -> Built:
        queue = self.queue(dirs.SUPPORT, dirs.BILLING)
        return self.inbound_agent_call(start, queue, wraps=[(None, None)])

    def build_deleted_code(self, start: int) -> Built:
        wraps: list[tuple[str | None, str | None]] = [(self.org.deleted_code_id, None)]
        return self.inbound_agent_call(start, self.org.queues[dirs.SUPPORT], wraps=wraps)

    def build_deleted_user(self, start: int) -> Built:
        # NOTE: the deleted user takes calls on every generated day, not only before a
        # deletion date, so that per-day generation stays independent of "now".
        user = self.org.users_by_id[self.org.deleted_user_id]
        return self.inbound_agent_call(start, self.org.queues[dirs.SUPPORT], user=user)

    def build_special_note(self, start: int) -> Built:
        queue = self.org.queues[dirs.SUPPORT]
        return self.inbound_agent_call(
            start, queue, wraps=[(self.code(queue), self.rng.choice(SPECIAL_NOTES))]
        )

    def build_long_acw(self, start: int) -> Built:
        # IVR, queue and talk take at most 6 minutes, and the wrap-up ends 30 minutes after the
        # start, so the next quarter hour's wrap-up begins before this one ends.
        queue = self.org.queues[dirs.SUPPORT]
        ivr_end = start + self.between(15, 60)
        answer = ivr_end + self.between(5, 60)
        hangup = answer + self.between(60, 240)
        wrap_end = start + 30 * 60_000 - self.rng.randrange(60_000)
        wraps = [Wrap(hangup, wrap_end, self.code(queue), self.note())]
        spans = agent_spans(queue.id, answer - self.between(3, 8), answer, hangup, wraps)
        parts = [
            self.customer("voice", "inbound", start, hangup, disconnect="client"),
            self.ivr(start, ivr_end),
            self.acd(queue, "voice", ivr_end, answer),
            self.agent_part(self.agent(queue), "voice", "inbound", spans),
        ]
        return parts, "inbound", [queue.division_id]

    def digital(self, start: int, media: str) -> Built:
        queue = self.org.queues[dirs.DIGITAL]
        answer = start + self.between(5, 600)
        alert_start = answer - self.between(2, 10)
        hangup = answer + self.talk_ms(media)
        user = self.agent(queue)
        # AGENT_REQUESTED: after-call work (and so a code) only when the agent requests it.
        wraps = [Wrap(hangup, hangup + self.acw_ms(queue), self.code(queue), self.note())]
        if self.rng.random() < 0.3:
            wraps = []
        disconnect = "client" if media == "email" else "peer"
        spans = agent_spans(
            queue.id, alert_start, answer, hangup, wraps, disconnect_type=disconnect
        )
        parts = [
            self.customer(media, "inbound", start, hangup, disconnect="client"),
            self.acd(queue, media, start, answer),
            self.agent_part(user, media, "inbound", spans),
        ]
        return parts, "inbound", [queue.division_id]

    def build_chat(self, start: int) -> Built:
        return self.digital(start, "chat")

    def build_message(self, start: int) -> Built:
        return self.digital(start, "message")

    def build_email(self, start: int) -> Built:
        return self.digital(start, "email")

    def build_callback(self, start: int) -> Built:
        queue = self.queue(dirs.SUPPORT, dirs.SALES)
        user = self.agent(queue)
        offer = start + self.between(30, 900)
        accept = offer + self.between(2, 10)
        dial_end = accept + self.between(5, 25)
        hangup = dial_end + self.talk_ms("callback")
        wrap_end = hangup + self.acw_ms(queue)
        callback_number = self.phone()
        callback_extra = {
            "callbackNumbers": [callback_number],
            "callbackUserName": "Customer",
            "skipEnabled": True,
            "timeoutSeconds": 300,
        }
        callback_spans = agent_spans(
            queue.id, offer, accept, dial_end, [], disconnect_type="transfer"
        )
        callback_session = session(
            self.guid(), "agent", "callback", "outbound", callback_spans, callback_extra
        )
        voice_spans = [
            Span(accept, dial_end, "dialing", {"queueId": queue.id}),
            Span(dial_end, hangup, "interact", {"queueId": queue.id, "disconnectType": "client"}),
            Span(
                hangup, wrap_end, "wrapup", {"queueId": queue.id, "wrapUpCode": self.code(queue)}
            ),
        ]
        customer_callback = session(
            self.guid(),
            "customer",
            "callback",
            "inbound",
            [Span(start, accept, "scheduled", {"disconnectType": "transfer"})],
            callback_extra,
        )
        customer_voice = session(
            self.guid(),
            "customer",
            "voice",
            "outbound",
            [Span(dial_end, hangup, "interact", {"disconnectType": "peer"})],
            {"ani": DNIS, "dnis": callback_number},
        )
        parts = [
            participant(
                self.guid(), "customer", [customer_callback, customer_voice], name="Customer"
            ),
            self.acd(queue, "callback", start, offer),
            self.agent_part(
                user, "voice", "outbound", voice_spans, more_sessions=[callback_session]
            ),
        ]
        return parts, "inbound", [queue.division_id]

    def build_outbound_dialer(self, start: int) -> Built:
        queue = self.org.queues[dirs.OUTBOUND]
        user = self.agent(queue)
        campaign = self.rng.choice(self.org.campaign_ids)
        extra = {
            "outboundCampaignId": campaign,
            "outboundContactListId": self.org.contact_list_id,
            "outboundContactId": self.guid(),
        }
        dial_end = start + self.between(3, 30)
        customer_number = self.phone()
        if self.rng.random() < 0.5:
            hangup = dial_end + self.talk_ms("voice")
            wraps = [Wrap(hangup, hangup + self.acw_ms(queue), self.code(queue), self.note())]
            spans = agent_spans(queue.id, start, dial_end, hangup, wraps)
            purpose = "agent"
            customer_end = hangup
        else:
            code = self.rng.choice(DIALER_CODES)
            purpose = (
                "user" if code.endswith("PREVIEW-SKIPPED") and self.rng.random() < 0.6 else "agent"
            )
            wrap_len = 0 if self.rng.random() < 0.6 else self.between(1, 4)
            spans = [
                Span(start, dial_end, "dialing", {"queueId": queue.id, "disconnectType": "peer"}),
                Span(
                    dial_end,
                    dial_end + wrap_len,
                    "wrapup",
                    {"queueId": queue.id, "wrapUpCode": code},
                ),
            ]
            customer_end = dial_end
        dialer = session(
            self.guid(),
            "outbound",
            "voice",
            "outbound",
            [Span(start, dial_end, "dialing", {"disconnectType": "transfer"})],
            extra,
        )
        customer = session(
            self.guid(),
            "customer",
            "voice",
            "outbound",
            [Span(start, customer_end, "interact", {"disconnectType": "peer"})],
            {"ani": DNIS, "dnis": customer_number, **extra},
        )
        parts = [
            participant(self.guid(), "outbound", [dialer], name="Outbound Dialer"),
            participant(
                self.guid(), "customer", [customer], name=customer_number.removeprefix("tel:")
            ),
            self.agent_part(
                user, "voice", "outbound", spans, purpose=purpose, session_extra=extra
            ),
        ]
        return parts, "outbound", [queue.division_id]

    def build_blind_transfer(self, start: int) -> Built:
        first_queue = self.queue(dirs.SUPPORT, dirs.BILLING)
        second_queue = self.queue(dirs.SALES, dirs.CLAIMS)
        ivr_end = start + self.between(15, 60)
        answer = ivr_end + self.between(5, 120)
        first_user = self.agent(first_queue)
        second_user = self.agent(second_queue)
        while second_user.id == first_user.id:
            second_user = self.agent(second_queue)
        transfer = answer + self.talk_ms("voice")
        # A transferring agent gets after-call work like any other leg; most skip the code.
        code = self.code(first_queue) if self.rng.random() < 0.4 else None
        first_acw = self.acw_ms(first_queue) if code else self.between(1.5, 2.5)
        first_spans = agent_spans(
            first_queue.id,
            answer - self.between(3, 8),
            answer,
            transfer,
            [Wrap(transfer, transfer + first_acw, code)],
            disconnect_type="transfer",
        )
        second_answer = transfer + self.between(5, 90)
        hangup = second_answer + self.talk_ms("voice")
        second_spans = agent_spans(
            second_queue.id,
            second_answer - self.between(3, 8),
            second_answer,
            hangup,
            [
                Wrap(
                    hangup,
                    hangup + self.acw_ms(second_queue),
                    self.code(second_queue),
                    self.note(),
                )
            ],
        )
        parts = [
            self.customer("voice", "inbound", start, hangup, disconnect="client"),
            self.ivr(start, ivr_end),
            self.acd(first_queue, "voice", ivr_end, answer),
            self.agent_part(first_user, "voice", "inbound", first_spans),
            self.acd(second_queue, "voice", transfer, second_answer),
            self.agent_part(second_user, "voice", "inbound", second_spans),
        ]
        return parts, "inbound", [first_queue.division_id, second_queue.division_id]

    def build_conference(self, start: int) -> Built:
        queue = self.org.queues[dirs.SUPPORT]
        parts, direction, divisions = self.inbound_agent_call(start, queue)
        host_interacts = [
            seg for seg in parts[3]["sessions"][0]["segments"] if seg["segmentType"] == "interact"
        ]
        guest = self.agent(queue)
        host_answer = _parse_ms(host_interacts[0]["segmentStart"])
        host_end = _parse_ms(host_interacts[-1]["segmentEnd"])
        join = host_answer + int((host_end - host_answer) * self.rng.uniform(0.2, 0.7))
        wraps = [Wrap(host_end, host_end + self.acw_ms(queue), self.code(queue))]
        spans = agent_spans(
            queue.id, join - self.between(2, 6), join, host_end, wraps, conference=True
        )
        parts.append(self.agent_part(guest, "voice", "outbound", spans))
        return parts, direction, divisions

    def build_consult(self, start: int) -> Built:
        queue = self.org.queues[dirs.SUPPORT]
        parts, direction, divisions = self.inbound_agent_call(
            start, queue, hold_ms=self.between(30, 90)
        )
        # The agent holds the customer while consulting; a call too short for a hold gets the
        # consult in the middle of its interact segment.
        host_segments = parts[3]["sessions"][0]["segments"]
        holds = [segment for segment in host_segments if segment["segmentType"] == "hold"]
        if holds:
            consult_start = _parse_ms(holds[0]["segmentStart"])
            consult_end = _parse_ms(holds[0]["segmentEnd"])
        else:
            talk_start = _parse_ms(host_segments[1]["segmentStart"])
            talk_end = _parse_ms(host_segments[1]["segmentEnd"])
            consult_start = talk_start + (talk_end - talk_start) // 3
            consult_end = consult_start + (talk_end - talk_start) // 3
        if self.rng.random() < 0.5:
            number = self.phone()
            spans = [Span(consult_start, consult_end, "interact", {"disconnectType": "endpoint"})]
            sess = session(
                self.guid(), "external", "voice", "outbound", spans, {"ani": DNIS, "dnis": number}
            )
            parts.append(participant(self.guid(), "external", [sess], name=number[4:]))
        else:
            target = self.agent(queue)
            wraps = []
            if self.rng.random() < 0.5:
                wraps = [Wrap(consult_end, consult_end + self.acw_ms(queue), self.code(queue))]
            spans = agent_spans(
                queue.id,
                consult_start,
                consult_start + self.between(2, 6),
                consult_end,
                wraps,
                disconnect_type="endpoint",
            )
            parts.append(self.agent_part(target, "voice", "outbound", spans))
        return parts, direction, divisions

    def build_ivr_only(self, start: int) -> Built:
        end = start + self.between(20, 240)
        extra: dict[str, Any] = {"disconnect": "client"}
        if self.rng.random() < 0.3:
            # The caller hung up in the IVR after a queue was chosen but before it was offered.
            extra["queueId"] = self.org.queues[self.rng.choice((dirs.SUPPORT, dirs.SALES))].id
        parts = [
            self.customer("voice", "inbound", start, end, **extra),
            self.ivr(start, end, disconnect="peer"),
        ]
        return parts, "inbound", [self.home_division]

    def build_abandoned(self, start: int) -> Built:
        queue = self.queue(dirs.SUPPORT, dirs.SALES, dirs.BILLING)
        ivr_end = start + self.between(15, 60)
        end = ivr_end + self.between(10, 600)
        parts = [
            self.customer("voice", "inbound", start, end, disconnect="client"),
            self.ivr(start, ivr_end),
            self.acd(queue, "voice", ivr_end, end, abandoned=True),
        ]
        return parts, "inbound", [queue.division_id]

    def build_alert_no_answer(self, start: int) -> Built:
        queue = self.org.queues[dirs.SUPPORT]
        missed_user = self.agent(queue)
        parts, direction, divisions = self.inbound_agent_call(start, queue)
        answer_user_id = parts[3]["userId"]
        while missed_user.id == answer_user_id:
            missed_user = self.agent(queue)
        alert_segment = parts[3]["sessions"][0]["segments"][0]
        answer_alert_start = _parse_ms(alert_segment["segmentStart"])
        alert_end = answer_alert_start - 500
        alert_start = alert_end - self.between(8, 30)
        wraps: list[Wrap] = []
        if self.rng.random() < 0.4:
            # Seen in real data: a code on an agent who never connected, with an edge error.
            wraps = [
                Wrap(alert_end, alert_end + 61_000, self.code(queue), None, _SESSION_INACTIVE)
            ]
        spans = agent_spans(queue.id, alert_start, None, alert_end, wraps)
        parts.insert(3, self.agent_part(missed_user, "voice", "inbound", spans))
        return parts, direction, divisions


def _parse_ms(text: str) -> int:
    return to_ms(parse_instant(text))


def _last_end(parts: list[dict[str, Any]]) -> int:
    return max(
        _parse_ms(segment["segmentEnd"])
        for part in parts
        for sess in part["sessions"]
        for segment in sess["segments"][-1:]
    )


def generate_day(
    org: dirs.OrgDirectory, day: date, weekday_volume: int = DEFAULT_WEEKDAY_VOLUME
) -> list[GeneratedConversation]:
    """Generate every conversation that starts on `day` (UTC), ordered by start.

    About `weekday_volume` conversations (plus or minus 3 %) on Monday to Friday, and
    `WEEKEND_SHARE` of that on Saturday and Sunday.
    """
    return _ScenarioBuilder(org, day).generate(weekday_volume)
