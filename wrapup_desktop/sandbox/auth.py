"""OAuth for the sandbox: client credentials, authorization code with PKCE, and tokens.

The authorization endpoint approves every request at once (there is no login page): it checks
the client, the loopback redirect URI and the S256 challenge, then redirects with a code.
Each OAuth client has a permission profile, so tests can reproduce a client that lacks a role.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from wrapup_desktop.sandbox.responses import json_response

ANALYTICS_VIEW = "analytics:conversationDetail:view"
AGENT_ANALYTICS_VIEW = "analytics:agentConversationDetail:view"
WRAPUP_CODE_VIEW = "routing:wrapupCode:view"
QUEUE_VIEW = "routing:queue:view"
ALL_PERMISSIONS = frozenset({ANALYTICS_VIEW, AGENT_ANALYTICS_VIEW, WRAPUP_CODE_VIEW, QUEUE_VIEW})

# Fixed test credentials of the sandbox; they open nothing but the sandbox itself.
DEMO_CLIENT_ID = "de70c11e-0000-4000-8000-000000000001"
DEMO_CLIENT_SECRET = "sandbox-demo-secret"  # noqa: S105
NO_CODES_CLIENT_ID = "de70c11e-0000-4000-8000-000000000002"
NO_CODES_CLIENT_SECRET = "sandbox-no-codes-secret"  # noqa: S105
NO_ANALYTICS_CLIENT_ID = "de70c11e-0000-4000-8000-000000000003"
NO_ANALYTICS_CLIENT_SECRET = "sandbox-no-analytics-secret"  # noqa: S105
NO_QUEUES_CLIENT_ID = "de70c11e-0000-4000-8000-000000000004"
NO_QUEUES_CLIENT_SECRET = "sandbox-no-queues-secret"  # noqa: S105

CODE_LIFETIME_S = 300.0


@dataclass(frozen=True)
class ClientProfile:
    """An OAuth client of the sandbox and the permissions its roles grant."""

    client_id: str
    client_secret: str = field(repr=False)
    permissions: frozenset[str]
    label: str


CLIENTS: dict[str, ClientProfile] = {
    profile.client_id: profile
    for profile in (
        ClientProfile(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, ALL_PERMISSIONS, "demo"),
        ClientProfile(
            NO_CODES_CLIENT_ID,
            NO_CODES_CLIENT_SECRET,
            ALL_PERMISSIONS - {WRAPUP_CODE_VIEW},
            "no wrap-up code view",
        ),
        ClientProfile(
            NO_ANALYTICS_CLIENT_ID,
            NO_ANALYTICS_CLIENT_SECRET,
            ALL_PERMISSIONS - {ANALYTICS_VIEW, AGENT_ANALYTICS_VIEW},
            "no analytics",
        ),
        ClientProfile(
            NO_QUEUES_CLIENT_ID,
            NO_QUEUES_CLIENT_SECRET,
            ALL_PERMISSIONS - {QUEUE_VIEW},
            "no queue view",
        ),
    )
}


@dataclass
class _Grant:
    profile: ClientProfile
    expires_at: float


@dataclass
class _PendingCode:
    profile: ClientProfile
    redirect_uri: str
    challenge: str
    expires_at: float


class TokenStore:
    """Issued access tokens and pending authorization codes, timed by the injected clock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._tokens: dict[str, _Grant] = {}
        self._codes: dict[str, _PendingCode] = {}

    def issue(self, profile: ClientProfile, lifetime_s: float) -> str:
        token = secrets.token_urlsafe(32)
        self._tokens[token] = _Grant(profile, self._clock() + lifetime_s)
        return token

    def lookup(self, token: str) -> tuple[ClientProfile | None, bool]:
        """Return the client of `token` and whether it has expired; (None, False) if unknown."""
        grant = self._tokens.get(token)
        if grant is None:
            return None, False
        return grant.profile, self._clock() >= grant.expires_at

    def expire_all(self) -> int:
        """Expire every token issued so far, as if their lifetime ran out; returns how many."""
        now = self._clock()
        for grant in self._tokens.values():
            grant.expires_at = min(grant.expires_at, now)
        return len(self._tokens)

    def add_code(self, profile: ClientProfile, redirect_uri: str, challenge: str) -> str:
        code = secrets.token_urlsafe(24)
        self._codes[code] = _PendingCode(
            profile, redirect_uri, challenge, self._clock() + CODE_LIFETIME_S
        )
        return code

    def take_code(self, code: str) -> _PendingCode | None:
        """Remove and return a pending code (codes work once) unless it is unknown or old."""
        pending = self._codes.pop(code, None)
        if pending is None or self._clock() >= pending.expires_at:
            return None
        return pending


def _oauth_error(status: int, error: str, description: str) -> Response:
    return json_response(
        {"error": error, "description": description, "error_description": description}, status
    )


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def s256(verifier: str) -> str:
    """Compute the S256 code challenge of a PKCE verifier (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def is_loopback_redirect(uri: str) -> bool:
    """Check that `uri` is an http URL on 127.0.0.1 or localhost, the only redirects allowed."""
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")


async def token_endpoint(request: Request, tokens: TokenStore, lifetime_s: float) -> Response:
    """`POST /oauth/token` for the client-credentials and authorization-code grants."""
    # Parsed by hand: Starlette's form parser needs python-multipart, which nothing else uses.
    raw = await request.body()
    form = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    grant_type = str(form.get("grant_type", ""))
    if grant_type == "client_credentials":
        credentials = _basic_credentials(request)
        if credentials is None:
            return _oauth_error(401, "invalid_client", "authentication failed")
        client_id, secret = credentials
        profile = CLIENTS.get(client_id)
        if profile is None:
            return _oauth_error(400, "invalid_client", "authentication failed")
        if not secrets.compare_digest(secret, profile.client_secret):
            return _oauth_error(401, "invalid_client", "authentication failed")
    elif grant_type == "authorization_code":
        found = _redeem_code(
            form.get("code"),
            form.get("redirect_uri"),
            form.get("code_verifier"),
            form.get("client_id"),
            tokens,
        )
        if isinstance(found, Response):
            return found
        profile = found
    else:
        return _oauth_error(
            400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported"
        )
    token = tokens.issue(profile, lifetime_s)
    return json_response(
        {"access_token": token, "token_type": "bearer", "expires_in": int(lifetime_s)}
    )


def _redeem_code(
    code: object, redirect_uri: object, verifier: object, client_id: object, tokens: TokenStore
) -> ClientProfile | Response:
    if not isinstance(code, str) or not isinstance(verifier, str):
        return _oauth_error(400, "invalid_request", "code and code_verifier are required")
    pending = tokens.take_code(code)
    if pending is None:
        return _oauth_error(400, "invalid_grant", "authorization code is invalid or expired")
    if client_id != pending.profile.client_id:
        return _oauth_error(400, "invalid_client", "client_id does not match the authorization")
    if redirect_uri != pending.redirect_uri:
        return _oauth_error(400, "invalid_grant", "redirect_uri does not match the authorization")
    if not secrets.compare_digest(s256(verifier), pending.challenge):
        return _oauth_error(
            400, "invalid_grant", "code_verifier does not match the code_challenge"
        )
    return pending.profile


async def authorize_endpoint(request: Request, tokens: TokenStore) -> Response:
    """`GET /oauth/authorize`: approve at once and redirect to the loopback URI with a code."""
    params = request.query_params
    redirect_uri = params.get("redirect_uri", "")
    profile = CLIENTS.get(params.get("client_id", ""))
    if profile is None:
        return PlainTextResponse("Unknown client_id: check the OAuth client id.", 400)
    if not is_loopback_redirect(redirect_uri):
        return PlainTextResponse(
            f"redirect_uri {redirect_uri!r} is not allowed: use http://127.0.0.1:PORT/... or "
            "http://localhost:PORT/...",
            400,
        )
    state = params.get("state")
    problem = None
    if params.get("response_type") != "code":
        problem = "response_type must be code"
    elif params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        problem = "code_challenge with code_challenge_method=S256 is required"
    if problem is not None:
        query = {"error": "invalid_request", "error_description": problem}
    else:
        code = tokens.add_code(profile, redirect_uri, params["code_challenge"])
        query = {"code": code}
    if state is not None:
        query["state"] = state
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(query)}", status_code=302)
