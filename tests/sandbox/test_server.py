"""The sandbox served by uvicorn on 127.0.0.1, and its command-line options."""

from __future__ import annotations

import argparse
import time

import httpx
import pytest

from tests.sandbox.conftest import NOW, QUERY_PATH, day_interval
from wrapup_desktop.sandbox import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FaultPlan,
    SandboxOrg,
    ScriptedFault,
    add_sandbox_arguments,
    fault_plan_from_args,
    org_from_args,
    running_sandbox,
)


def _token(client: httpx.Client) -> dict[str, str]:
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_served_query_on_loopback(org: SandboxOrg) -> None:
    with running_sandbox(org) as origin, httpx.Client(base_url=origin) as client:
        assert origin.startswith("http://127.0.0.1:")
        headers = _token(client)
        response = client.post(
            QUERY_PATH,
            headers=headers,
            json={"interval": day_interval("2026-12-01", "2026-12-02")},
        )
        assert response.status_code == 200
        assert len(response.json()["conversations"]) == 25
        assert response.headers["inin-ratelimit-count"] == "1"


def test_served_reset_drops_connection(org: SandboxOrg) -> None:
    faults = FaultPlan(scripted=[ScriptedFault(kind="reset", endpoint="organization")])
    with running_sandbox(org, faults) as origin, httpx.Client(base_url=origin) as client:
        headers = _token(client)
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/api/v2/organizations/me", headers=headers)
        assert client.get("/api/v2/organizations/me", headers=headers).status_code == 200


def test_served_latency_delays_response(org: SandboxOrg) -> None:
    faults = FaultPlan()
    with running_sandbox(org, faults) as origin, httpx.Client(base_url=origin) as client:
        headers = _token(client)
        faults.latency_s = 0.2
        began = time.perf_counter()
        client.get("/api/v2/organizations/me", headers=headers)
        assert time.perf_counter() - began >= 0.2


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_sandbox_arguments(parser)
    return parser.parse_args(list(argv))


def test_cli_defaults() -> None:
    ns = _parse()
    assert (ns.host, ns.port) == ("127.0.0.1", 8765)
    plan = fault_plan_from_args(ns)
    assert plan.fail_rate == 0.0
    assert plan.token_lifetime_s == 86_400
    assert plan.rate_limit_requests >= 300


def test_cli_options_to_plan() -> None:
    ns = _parse(
        "--latency-ms",
        "40",
        "--slow-tail",
        "0.05:2000",
        "--rate-limit",
        "300/60",
        "--fail-rate",
        "0.1",
        "--fail-statuses",
        "503,504",
        "--reset-rate",
        "0.02",
        "--truncate-rate",
        "0.01",
        "--token-lifetime-s",
        "600",
        "--jobs-lag-hours",
        "2",
    )
    plan = fault_plan_from_args(ns)
    assert plan.latency_s == pytest.approx(0.04)
    assert (plan.slow_tail_fraction, plan.slow_tail_s) == (0.05, 2.0)
    assert (plan.rate_limit_requests, plan.rate_limit_window_s) == (300, 60.0)
    assert plan.fail_statuses == (503, 504)
    assert (plan.reset_rate, plan.truncate_rate) == (0.02, 0.01)
    assert plan.token_lifetime_s == 600
    assert plan.jobs_lag_s == 7200


def test_cli_org_seed_and_now() -> None:
    org = org_from_args(_parse("--seed", "7", "--now", "2026-12-03T14:00:00Z"))
    assert org.seed == 7
    assert org.now() == NOW


@pytest.mark.parametrize(
    "argv",
    [
        ("--fail-rate", "1.5"),
        ("--rate-limit", "many"),
        ("--fail-statuses", "200"),
        ("--slow-tail", "half"),
        ("--now", "yesterday"),
    ],
)
def test_cli_rejects_bad_values(argv: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parse(*argv)
    assert "expected" in capsys.readouterr().err
