"""Rate limits and injected faults, observed through an in-process httpx client."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.sandbox.conftest import Harness, day_interval
from wrapup_desktop.sandbox import FaultPlan, ScriptedFault

ME = "/api/v2/organizations/me"
BODY = {
    "interval": day_interval("2026-12-01", "2026-12-02"),
    "paging": {"pageSize": 100, "pageNumber": 1},
}


async def _page(harness: Harness, number: int) -> httpx.Response:
    return await harness.query({**BODY, "paging": {"pageSize": 100, "pageNumber": number}})


async def test_rate_limit_headers_present(harness: Harness) -> None:
    response = await harness.get(ME)
    assert response.headers["inin-ratelimit-count"] == "1"
    assert int(response.headers["inin-ratelimit-allowed"]) >= 300
    assert int(response.headers["inin-ratelimit-reset"]) > 0
    assert response.headers["inin-correlation-id"]


async def test_over_limit_gets_429(harness: Harness) -> None:
    harness.faults.rate_limit_requests = 3
    harness.faults.rate_limit_window_s = 60
    statuses = [(await harness.get(ME)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    harness.clock.advance(15)
    limited = await harness.get(ME)
    assert limited.status_code == 429
    assert limited.json()["code"] == "too.many.requests.retry.after"
    assert limited.headers["retry-after"] == "45"
    assert "[3] requests within [60] seconds" in limited.json()["message"]
    harness.clock.advance(45)
    assert (await harness.get(ME)).status_code == 200


async def test_scripted_429_on_third_page(harness: Harness) -> None:
    harness.faults.scripted.append(
        ScriptedFault(endpoint="details_query", on_request=3, status=429, retry_after_s=17)
    )
    assert (await _page(harness, 1)).status_code == 200
    assert (await _page(harness, 2)).status_code == 200
    throttled = await _page(harness, 3)
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "17"
    assert throttled.json()["code"] == "too.many.requests.retry.after"
    assert (await _page(harness, 3)).status_code == 200
    [record] = harness.faults.log
    assert (record.endpoint, record.endpoint_request_number, record.status) == (
        "details_query",
        3,
        429,
    )


async def test_scripted_401_on_request_41(harness: Harness) -> None:
    harness.faults.scripted.append(
        ScriptedFault(endpoint="details_query", on_request=41, status=401)
    )
    statuses = [(await _page(harness, 1 + n % 16)).status_code for n in range(42)]
    assert statuses[40] == 401
    assert statuses.count(401) == 1
    assert statuses[41] == 200


async def test_throttle_burst(harness: Harness) -> None:
    harness.faults.throttle_next = 2
    harness.faults.retry_after_s = 4
    statuses = [(await harness.get(ME)).status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    assert len(harness.faults.records(kind="status")) == 2


async def test_throttle_every_kth(harness: Harness) -> None:
    harness.faults.throttle_every = 3
    statuses = [(await harness.get(ME)).status_code for _ in range(6)]
    # Request 1 was the token, so the 3rd and 6th requests are API calls 2 and 5.
    assert statuses == [200, 429, 200, 200, 429, 200]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_fail_rate_statuses(harness: Harness, status: int) -> None:
    harness.faults.fail_rate = 1.0
    harness.faults.fail_statuses = (status,)
    response = await harness.get(ME)
    assert response.status_code == status
    assert response.json()["status"] == status
    assert response.json()["contextId"] == response.headers["inin-correlation-id"]


async def test_fail_rate_partial(harness: Harness) -> None:
    harness.faults.fail_rate = 0.3
    statuses = [(await harness.get(ME)).status_code for _ in range(100)]
    failures = sum(status >= 500 for status in statuses)
    assert 10 < failures < 60


async def test_reset_is_transport_error(harness: Harness) -> None:
    harness.faults.scripted.append(ScriptedFault(kind="reset", endpoint="details_query"))
    with pytest.raises(httpx.TransportError):
        await _page(harness, 1)
    assert (await _page(harness, 1)).status_code == 200
    assert harness.faults.records(kind="reset")[0].endpoint == "details_query"


async def test_truncated_body_not_json(harness: Harness) -> None:
    harness.faults.truncate_rate = 1.0
    response = await _page(harness, 1)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert response.content.startswith(b'{"totalHits"')


async def test_non_json_body(harness: Harness) -> None:
    harness.faults.non_json_rate = 1.0
    response = await harness.get(ME)
    assert response.headers["content-type"] == "text/html"
    assert b"<html>" in response.content


async def test_tokens_expire_after_n_requests(harness: Harness) -> None:
    harness.faults.expire_tokens_after = 2
    statuses = [(await harness.get(ME)).status_code for _ in range(3)]
    assert statuses == [200, 401, 401]
    await harness.sign_in()
    assert (await harness.get(ME)).status_code == 200


async def test_forbidden_lookups(harness: Harness) -> None:
    harness.faults.forbid_lookups = True
    response = await harness.get("/api/v2/routing/wrapupcodes")
    assert response.status_code == 403
    assert "routing:wrapupCode:view" in response.json()["message"]
    assert (await harness.get("/api/v2/routing/queues")).status_code == 403
    assert (await _page(harness, 1)).status_code == 200


async def test_latency_uses_injected_sleep(harness: Harness) -> None:
    harness.faults.latency_s = 0.25
    await harness.get(ME)
    assert harness.sleep.delays == [0.25]


async def test_slow_tail_logged(harness: Harness) -> None:
    harness.faults.slow_tail_fraction = 1.0
    harness.faults.slow_tail_s = 3.0
    await harness.get(ME)
    assert harness.sleep.delays == [3.0]
    assert harness.faults.records(kind="delay")[0].path == ME


async def test_scripted_token_fault(harness: Harness) -> None:
    harness.faults.scripted.append(ScriptedFault(endpoint="token", status=503))
    response = await harness.client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert response.status_code == 503


def test_fault_kind_validated() -> None:
    with pytest.raises(ValueError, match="fault kind must be one of"):
        ScriptedFault(kind="explode")


def test_random_faults_repeat_by_seed() -> None:
    first, second = FaultPlan(fail_rate=0.5, seed=7), FaultPlan(fail_rate=0.5, seed=7)
    decisions = [first.decide("users", n, n, True) for n in range(1, 30)]
    assert decisions == [second.decide("users", n, n, True) for n in range(1, 30)]
