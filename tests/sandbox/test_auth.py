"""OAuth: client credentials, token expiry, permission profiles and PKCE."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

from tests.sandbox.conftest import QUERY_PATH, Harness, day_interval
from wrapup_desktop.sandbox import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    NO_ANALYTICS_CLIENT_ID,
    NO_ANALYTICS_CLIENT_SECRET,
    NO_CODES_CLIENT_ID,
    NO_CODES_CLIENT_SECRET,
)

VERIFIER = "a" * 20 + "-verifier-of-forty-three-chars"
REDIRECT = "http://127.0.0.1:53682/callback"


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def test_token_shape(harness: Harness) -> None:
    response = await harness.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    )
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86400
    assert body["access_token"]


async def test_wrong_secret_rejected(harness: Harness) -> None:
    response = await harness.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CLIENT_ID, "wrong"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["description"] == "authentication failed"


async def test_unknown_client_rejected(harness: Harness) -> None:
    response = await harness.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("nobody", "x"),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


async def test_missing_token_is_401(harness: Harness) -> None:
    response = await harness.client.get("/api/v2/organizations/me")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication.required"


async def test_unknown_token_is_401(harness: Harness) -> None:
    response = await harness.client.get(
        "/api/v2/organizations/me", headers={"Authorization": "Bearer forged"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "bad.credentials"


async def test_token_expires_on_clock(harness: Harness) -> None:
    harness.faults.token_lifetime_s = 300
    await harness.sign_in()
    assert (await harness.get("/api/v2/organizations/me")).status_code == 200
    harness.clock.advance(301)
    expired = await harness.get("/api/v2/organizations/me")
    assert expired.status_code == 401
    assert expired.json()["code"] == "bad.credentials"
    await harness.sign_in()
    assert (await harness.get("/api/v2/organizations/me")).status_code == 200


async def test_missing_code_permission_403(harness: Harness) -> None:
    await harness.sign_in(NO_CODES_CLIENT_ID, NO_CODES_CLIENT_SECRET)
    response = await harness.get("/api/v2/routing/wrapupcodes")
    assert response.status_code == 403
    assert response.json()["code"] == "missing.any.permissions"
    assert response.json()["message"].endswith(
        "You must have at least one of the following permissions assigned: routing:wrapupCode:view"
    )
    assert (await harness.get("/api/v2/routing/queues")).status_code == 200
    query = await harness.query({"interval": day_interval("2026-12-01", "2026-12-02")})
    assert query.status_code == 200


async def test_missing_analytics_permission_403(harness: Harness) -> None:
    await harness.sign_in(NO_ANALYTICS_CLIENT_ID, NO_ANALYTICS_CLIENT_SECRET)
    response = await harness.query({"interval": day_interval("2026-12-01", "2026-12-02")})
    assert response.status_code == 403
    assert "analytics:conversationDetail:view" in response.json()["message"]
    jobs = await harness.client.post(
        QUERY_PATH.replace("query", "jobs"),
        json={"interval": "2026-12-01/2026-12-02"},
        headers=harness.headers,
    )
    assert jobs.status_code == 403
    assert (await harness.get("/api/v2/routing/wrapupcodes")).status_code == 200


async def _authorize(harness: Harness, **overrides: str) -> dict[str, list[str]]:
    params = {
        "response_type": "code",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "code_challenge": _challenge(VERIFIER),
        "code_challenge_method": "S256",
        "state": "xyz",
    }
    params.update(overrides)
    response = await harness.client.get("/oauth/authorize", params=params)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


async def _exchange(harness: Harness, code: str, verifier: str) -> dict[str, str]:
    response = await harness.client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
            "client_id": DEMO_CLIENT_ID,
        },
    )
    body: dict[str, str] = response.json()
    body["status"] = str(response.status_code)
    return body


async def test_pkce_flow_end_to_end(harness: Harness) -> None:
    query = await _authorize(harness)
    assert query["state"] == ["xyz"]
    token = await _exchange(harness, query["code"][0], VERIFIER)
    assert token["status"] == "200"
    me = await harness.client.get(
        "/api/v2/organizations/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200


async def test_pkce_wrong_verifier_rejected(harness: Harness) -> None:
    query = await _authorize(harness)
    token = await _exchange(harness, query["code"][0], VERIFIER + "x")
    assert token["status"] == "400"
    assert token["error"] == "invalid_grant"


async def test_pkce_code_works_once(harness: Harness) -> None:
    code = (await _authorize(harness))["code"][0]
    assert (await _exchange(harness, code, VERIFIER))["status"] == "200"
    assert (await _exchange(harness, code, VERIFIER))["error"] == "invalid_grant"


async def test_pkce_plain_method_refused(harness: Harness) -> None:
    query = await _authorize(harness, code_challenge_method="plain")
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


async def test_non_loopback_redirect_refused(harness: Harness) -> None:
    response = await harness.client.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": DEMO_CLIENT_ID,
            "redirect_uri": "https://evil.example/cb",
            "code_challenge": "x",
            "code_challenge_method": "S256",
        },
    )
    assert response.status_code == 400
    assert "127.0.0.1" in response.text
