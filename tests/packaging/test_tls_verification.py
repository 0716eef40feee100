"""The engine verifies TLS certificates against the operating system's trust store.

A corporate proxy that inspects TLS works when its root certificate is in the OS store, and a
server whose certificate nothing trusts is rejected before any request reaches it.
"""

from __future__ import annotations

import ipaddress
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import truststore

from wrapup_desktop.errors import SignInError, WrapUpError
from wrapup_desktop.genesys.auth import ClientCredentials, ClientCredentialsAuth, StaticTokenAuth
from wrapup_desktop.genesys.regions import resolve_endpoints
from wrapup_desktop.genesys.session import GenesysSession, RetryPolicy

x509 = pytest.importorskip("cryptography.x509")


@dataclass
class TlsServer:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate, counting the requests."""

    origin: str
    cafile: Path
    requests: list[str]


def write_self_signed(folder: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for 127.0.0.1 and its key; return both paths."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = folder / "server.pem"
    key_path = folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    cert_path, key_path = write_self_signed(tmp_path)
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b'{"name": "TLS test org"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield TlsServer(f"https://127.0.0.1:{port}", cert_path, requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def no_sleep(seconds: float) -> None:
    """Skip every retry wait."""


def test_https_session_uses_os_trust_store() -> None:
    session = GenesysSession(resolve_endpoints("mypurecloud.ie"), StaticTokenAuth("token"))
    # httpx keeps the context on its connection pool; there is no public accessor.
    context = session.client._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(context, truststore.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


async def test_untrusted_certificate_is_rejected(tls_server: TlsServer) -> None:
    policy = RetryPolicy(max_attempts=2)
    endpoints = resolve_endpoints(tls_server.origin)
    async with GenesysSession(
        endpoints, StaticTokenAuth("token"), policy=policy, sleep=no_sleep
    ) as session:
        with pytest.raises(WrapUpError) as caught:
            await session.get_json("/api/v2/organizations/me")
    assert "not trusted by this computer" in str(caught.value)
    assert "certificate store" in str(caught.value)
    assert tls_server.requests == []


async def test_untrusted_certificate_at_sign_in(tls_server: TlsServer) -> None:
    endpoints = resolve_endpoints(tls_server.origin)
    credentials = ClientCredentials("client", "secret-value")
    async with GenesysSession(
        endpoints, ClientCredentialsAuth(endpoints, credentials), sleep=no_sleep
    ) as session:
        with pytest.raises(SignInError) as caught:
            await session.test_connection()
    assert "not trusted by this computer" in caught.value.message
    assert tls_server.requests == []


def test_server_works_when_trusted(tls_server: TlsServer) -> None:
    # The control case: the same server serves a client that trusts its certificate, so the
    # rejection above comes from certificate verification and not from a broken server.
    import urllib.request

    context = ssl.create_default_context(cafile=str(tls_server.cafile))
    url = f"{tls_server.origin}/api/v2/organizations/me"
    with urllib.request.urlopen(url, context=context, timeout=10) as response:  # noqa: S310
        assert response.status == 200
    assert tls_server.requests == ["/api/v2/organizations/me"]
