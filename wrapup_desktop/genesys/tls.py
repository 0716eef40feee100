"""Recognising a TLS certificate that this computer does not trust."""

from __future__ import annotations

import ssl


def untrusted_certificate_reason(exc: BaseException) -> str | None:
    """Return the verification failure behind a connection error, or None if there is none.

    httpx wraps the `ssl.SSLCertVerificationError` of the handshake in its own ConnectError,
    so the chain of causes is searched.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current.verify_message or str(current)
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return str(current)
        current = current.__cause__ or current.__context__
    return None


def untrusted_certificate_message(host: str, reason: str) -> str:
    """Return the sentence shown when the server's certificate is not trusted."""
    return (
        f"The TLS certificate of {host} is not trusted by this computer ({reason}). WrapUp "
        "Desktop trusts the certificates your operating system trusts: if your company "
        "inspects TLS traffic, ask IT to install its root certificate in the system's "
        "certificate store, then try again."
    )
