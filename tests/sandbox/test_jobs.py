"""Async details jobs: states, cursor paging, overlap semantics and availability lag."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.sandbox.conftest import JOBS_PATH, Harness
from wrapup_desktop.sandbox import SandboxOrg

EARLY_HOURS = "2026-12-02T00:00:00.000Z/2026-12-02T01:00:00.000Z"


async def _submit(harness: Harness, **body: Any) -> str:
    response = await harness.client.post(JOBS_PATH, json=body, headers=harness.headers)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["jobId"]
    return job_id


async def _state(harness: Harness, job_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (await harness.get(f"{JOBS_PATH}/{job_id}")).json()
    return body


async def _all_results(
    harness: Harness, job_id: str, page_size: int = 100
) -> list[dict[str, Any]]:
    conversations: list[dict[str, Any]] = []
    cursor = None
    for _ in range(200):
        params: dict[str, Any] = {"pageSize": page_size}
        if cursor:
            params["cursor"] = cursor
        page = (await harness.get(f"{JOBS_PATH}/{job_id}/results", **params)).json()
        conversations += page.get("conversations", [])
        cursor = page.get("cursor")
        if cursor is None:
            return conversations
    raise AssertionError("the cursor never ended")


async def _fulfilled(harness: Harness, **body: Any) -> str:
    job_id = await _submit(harness, **body)
    for _ in range(5):
        if (await _state(harness, job_id))["state"] == "FULFILLED":
            return job_id
    raise AssertionError("the job never became FULFILLED")


async def test_job_states_advance_per_poll(harness: Harness) -> None:
    job_id = await _submit(harness, interval=EARLY_HOURS)
    states = [(await _state(harness, job_id))["state"] for _ in range(4)]
    assert states == ["QUEUED", "PENDING", "FULFILLED", "FULFILLED"]


async def test_job_states_advance_with_clock(harness: Harness) -> None:
    job_id = await _submit(harness, interval=EARLY_HOURS)
    harness.clock.advance(10)
    status = await _state(harness, job_id)
    assert status["state"] == "FULFILLED"
    assert "completionDate" in status


async def test_results_before_fulfilled_rejected(harness: Harness) -> None:
    job_id = await _submit(harness, interval=EARLY_HOURS)
    response = await harness.get(f"{JOBS_PATH}/{job_id}/results")
    assert response.status_code == 400
    assert "QUEUED" in response.json()["message"]


async def test_cursor_paging_until_absent(harness: Harness) -> None:
    job_id = await _fulfilled(harness, interval=EARLY_HOURS)
    first = (await harness.get(f"{JOBS_PATH}/{job_id}/results", pageSize=5)).json()
    assert len(first["conversations"]) == 5
    assert first["cursor"]
    assert first["dataAvailabilityDate"] == "2026-12-02T14:00:00.000Z"
    everything = await _all_results(harness, job_id, page_size=7)
    ids = [c["conversationId"] for c in everything]
    assert len(ids) == len(set(ids))
    assert len(ids) == len(await _all_results(harness, job_id, page_size=1000))


def _overlapping(org: SandboxOrg, start: str, end: str) -> set[str]:
    found = set()
    for day in (date(2026, 12, 1), date(2026, 12, 2)):
        for conversation in org.conversations_on(day):
            ends = conversation.get("conversationEnd", "9999")
            if conversation["conversationStart"] < end and ends > start:
                found.add(conversation["conversationId"])
    return found


async def test_job_matches_overlap(harness: Harness, org: SandboxOrg) -> None:
    job_id = await _fulfilled(harness, interval=EARLY_HOURS)
    ids = {c["conversationId"] for c in await _all_results(harness, job_id)}
    expected = _overlapping(org, "2026-12-02T00:00:00.000Z", "2026-12-02T01:00:00.000Z")
    assert ids == expected
    earlier_day = [
        cid
        for cid in ids
        if org.find(cid).conversation[  # type: ignore[union-attr]
            "conversationStart"
        ]
        < "2026-12-02"
    ]
    assert earlier_day, "a call from 1 December still running at midnight is included"


async def test_start_of_day_matching(harness: Harness, org: SandboxOrg) -> None:
    job_id = await _fulfilled(harness, interval=EARLY_HOURS, startOfDayIntervalMatching=True)
    results = await _all_results(harness, job_id, page_size=1000)
    assert all(c["conversationStart"].startswith("2026-12-02") for c in results)
    started_before_lag = [
        c
        for c in org.conversations_on(date(2026, 12, 2))
        if c["conversationStart"] < "2026-12-02T14:00:00.000Z"
    ]
    assert len(results) == len(started_before_lag)


async def test_job_sees_nothing_after_availability(harness: Harness) -> None:
    availability = (await harness.get(f"{JOBS_PATH}/availability")).json()
    assert availability["dataAvailabilityDate"] == "2026-12-02T14:00:00.000Z"
    job_id = await _fulfilled(harness, interval="2026-12-02T12:00:00Z/2026-12-03T12:00:00Z")
    results = await _all_results(harness, job_id, page_size=1000)
    assert results
    assert max(c["conversationStart"] for c in results) < "2026-12-02T14:00:00.000Z"


async def test_availability_lag_settable(harness: Harness) -> None:
    harness.faults.jobs_lag_s = 3600
    availability = (await harness.get(f"{JOBS_PATH}/availability")).json()
    assert availability["dataAvailabilityDate"] == "2026-12-03T13:00:00.000Z"


async def test_job_limit_caps_results(harness: Harness) -> None:
    job_id = await _fulfilled(harness, interval=EARLY_HOURS, limit=12)
    assert len(await _all_results(harness, job_id, page_size=5)) == 12


async def test_job_failed_with_message(harness: Harness) -> None:
    harness.faults.job_outcomes.append("FAILED")
    job_id = await _submit(harness, interval=EARLY_HOURS)
    harness.clock.advance(10)
    status = await _state(harness, job_id)
    assert status["state"] == "FAILED"
    assert "failed" in status["errorMessage"]


async def test_job_expires_while_paging(harness: Harness) -> None:
    harness.faults.job_outcomes.append("EXPIRED")
    job_id = await _fulfilled(harness, interval=EARLY_HOURS)
    first = await harness.get(f"{JOBS_PATH}/{job_id}/results", pageSize=5)
    assert first.status_code == 200
    second = await harness.get(
        f"{JOBS_PATH}/{job_id}/results", pageSize=5, cursor=first.json()["cursor"]
    )
    assert second.status_code == 404
    assert "expired" in second.json()["message"]
    assert (await _state(harness, job_id))["state"] == "EXPIRED"


async def test_job_state_set_by_test(harness: Harness) -> None:
    job_id = await _submit(harness, interval=EARLY_HOURS)
    harness.state.jobs.set_state(job_id, "FAILED", "disk full")
    assert (await _state(harness, job_id))["errorMessage"] == "disk full"


async def test_delete_cancels_job(harness: Harness) -> None:
    job_id = await _submit(harness, interval=EARLY_HOURS)
    response = await harness.client.delete(f"{JOBS_PATH}/{job_id}", headers=harness.headers)
    assert response.status_code == 204
    assert (await _state(harness, job_id))["state"] == "CANCELLED"


async def test_job_rejects_paging_field(harness: Harness) -> None:
    response = await harness.client.post(
        JOBS_PATH,
        json={"interval": EARLY_HOURS, "paging": {"pageSize": 10}},
        headers=harness.headers,
    )
    assert response.status_code == 400
    assert '"paging"' in response.json()["message"]


async def test_unknown_job_is_404(harness: Harness) -> None:
    assert (await harness.get(f"{JOBS_PATH}/missing")).status_code == 404


async def test_job_order_desc(harness: Harness) -> None:
    job_id = await _fulfilled(harness, interval=EARLY_HOURS, order="desc")
    starts = [c["conversationStart"] for c in await _all_results(harness, job_id, page_size=9)]
    assert starts == sorted(starts, reverse=True)


async def test_job_without_lag_sees_open_calls(harness: Harness) -> None:
    harness.faults.jobs_lag_s = 0
    job_id = await _fulfilled(harness, interval="2026-12-03T13:00:00Z/2026-12-03T15:00:00Z")
    results = await _all_results(harness, job_id, page_size=1000)
    assert any("conversationEnd" not in c for c in results)
    assert max(c["conversationStart"] for c in results) <= "2026-12-03T14:00:00.000Z"
