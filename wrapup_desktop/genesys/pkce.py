"""Sign a person in through the system browser: authorization code with PKCE (S256).

The app listens on a loopback port of 127.0.0.1, opens the org's `/oauth/authorize` page in the
browser, receives `?code=…&state=…` on the redirect, checks the state, and exchanges the code and
the verifier at `/oauth/token`. No client secret is involved; the OAuth client must be of the
"Code Authorization" type with `http://127.0.0.1` redirect URIs allowed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import secrets
import ssl
import webbrowser
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import truststore

from wrapup_desktop.errors import SignInError
from wrapup_desktop.genesys.auth import StaticTokenAuth
from wrapup_desktop.genesys.regions import Endpoints

logger = logging.getLogger(__name__)

_DONE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>WrapUp Desktop</title></head>"
    "<body style='font-family:sans-serif'><h1>Signed in</h1>"
    "<p>You can close this tab and return to WrapUp Desktop.</p></body></html>"
)
_FAILED_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>WrapUp Desktop</title></head>"
    "<body style='font-family:sans-serif'><h1>Sign-in failed</h1>"
    "<p>{reason}</p><p>Close this tab and try again in WrapUp Desktop.</p></body></html>"
)


def make_verifier() -> tuple[str, str]:
    """Return a PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


async def sign_in_with_browser(
    endpoints: Endpoints,
    client_id: str,
    *,
    open_url: Callable[[str], object] = webbrowser.open,
    port: int = 0,
    timeout_s: float = 300,
    transport: httpx.AsyncBaseTransport | None = None,
) -> StaticTokenAuth:
    """Run the browser sign-in and return the person's token.

    Raises SignInError when the browser does not come back within `timeout_s`, the state does
    not match, the login server reports an error, or the code exchange fails.
    """
    verifier, challenge = make_verifier()
    state = secrets.token_urlsafe(24)
    loop = asyncio.get_running_loop()
    outcome: asyncio.Future[str] = loop.create_future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = await asyncio.wait_for(reader.readline(), timeout=10)
            # Drain the headers; only the request line matters.
            while (await asyncio.wait_for(reader.readline(), timeout=10)) not in (b"\r\n", b""):
                pass
            target = request_line.decode("latin-1").split(" ")[1] if request_line else "/"
            query = parse_qs(urlsplit(target).query)
            if urlsplit(target).path != "/callback":
                await _answer(writer, 404, "Not found")
                return
            error = query.get("error", [""])[0]
            if error:
                description = query.get("error_description", [error])[0]
                await _answer(writer, 400, _FAILED_PAGE.format(reason=_escape(description)))
                _settle(
                    outcome,
                    SignInError(
                        f"Genesys Cloud rejected the sign-in: {description}. Sign in again."
                    ),
                )
                return
            if query.get("state", [""])[0] != state:
                await _answer(writer, 400, _FAILED_PAGE.format(reason="The state did not match."))
                _settle(
                    outcome,
                    SignInError(
                        "The browser returned a sign-in answer that does not belong to this "
                        "request (state mismatch). Start the sign-in again."
                    ),
                )
                return
            code = query.get("code", [""])[0]
            if not code:
                await _answer(writer, 400, _FAILED_PAGE.format(reason="No code was returned."))
                return
            await _answer(writer, 200, _DONE_PAGE)
            if not outcome.done():
                outcome.set_result(code)
        except (OSError, TimeoutError, IndexError, UnicodeDecodeError) as exc:
            logger.debug("Ignoring a broken request on the sign-in port: %s", type(exc).__name__)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host="127.0.0.1", port=port)
    try:
        bound_port = server.sockets[0].getsockname()[1]
        redirect_uri = f"http://127.0.0.1:{bound_port}/callback"
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "state": state,
            }
        )
        logger.info("Opening the browser for sign-in at %s", endpoints.login_host)
        open_url(f"{endpoints.login_base}/oauth/authorize?{query}")
        try:
            code = await asyncio.wait_for(outcome, timeout=timeout_s)
        except TimeoutError:
            raise SignInError(
                f"The browser sign-in did not finish within {timeout_s:.0f} s. Start it again "
                "and complete the sign-in in the browser window that opens."
            ) from None
    finally:
        server.close()
        await server.wait_closed()
    return await _exchange_code(endpoints, client_id, code, verifier, redirect_uri, transport)


async def _exchange_code(
    endpoints: Endpoints,
    client_id: str,
    code: str,
    verifier: str,
    redirect_uri: str,
    transport: httpx.AsyncBaseTransport | None,
) -> StaticTokenAuth:
    verify: ssl.SSLContext | bool = True
    if endpoints.login_base.startswith("https:"):
        verify = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    async with httpx.AsyncClient(
        transport=transport, verify=verify, trust_env=True, timeout=30
    ) as client:
        try:
            response = await client.post(
                f"{endpoints.login_base}/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "client_id": client_id,
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "code_verifier": verifier,
                },
            )
        except httpx.TransportError as exc:
            raise SignInError(
                f"Could not reach the login server {endpoints.login_host} to finish signing in "
                f"({type(exc).__name__}). Check the network connection and try again."
            ) from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        reason = ""
        if isinstance(body, dict):
            reason = str(body.get("description") or body.get("error_description") or "")
            reason = reason or str(body.get("error") or "")
        raise SignInError(
            f"Genesys Cloud did not accept the sign-in code (HTTP {response.status_code}"
            + (f": {reason}" if reason else "")
            + "). Check that the OAuth client allows this redirect URI "
            f"({redirect_uri.rsplit(':', 1)[0]}) and uses PKCE, then sign in again."
        )
    expires_in = body.get("expires_in")
    expires_in_s = float(expires_in) if isinstance(expires_in, int | float) else None
    return StaticTokenAuth(str(body["access_token"]), expires_in_s)


async def _answer(writer: asyncio.StreamWriter, status: int, html: str) -> None:
    payload = html.encode("utf-8")
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "OK")
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode("ascii")
        + payload
    )
    await writer.drain()


def _settle(outcome: asyncio.Future[str], error: SignInError) -> None:
    if not outcome.done():
        outcome.set_exception(error)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
