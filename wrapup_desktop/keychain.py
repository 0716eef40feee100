"""The client secret in the operating system's keychain, and nowhere else.

The command line and the desktop UI share one entry per region and client id, so a secret
remembered in the window also serves scheduled exports. Where no keychain backend exists (a bare
Linux without a Secret Service, as in CI), every call raises `KeychainUnavailableError`; callers
then keep the secret for the session only and say so.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

logger = logging.getLogger(__name__)

SERVICE_NAME = "WrapUp Desktop"
_INDEX_USERNAME = "__remembered_clients__"


class KeychainUnavailableError(RuntimeError):
    """No usable keychain backend, or the keychain refused the call."""


def entry_name(origin: str, client_id: str) -> str:
    """Return the keychain user name for one OAuth client of one region or origin."""
    return f"{origin.strip().lower()}:{client_id.strip()}"


def load_secret(origin: str, client_id: str) -> str | None:
    """Return the remembered secret, or None when nothing is stored for this client."""
    try:
        return keyring.get_password(SERVICE_NAME, entry_name(origin, client_id))
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(_unavailable_message(exc)) from exc


def save_secret(origin: str, client_id: str, secret: str) -> None:
    """Store the secret for this client, replacing any earlier one."""
    name = entry_name(origin, client_id)
    try:
        keyring.set_password(SERVICE_NAME, name, secret)
        names = _remembered_names()
        if name not in names:
            names.append(name)
            keyring.set_password(SERVICE_NAME, _INDEX_USERNAME, "\n".join(names))
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(_unavailable_message(exc)) from exc
    logger.info("Stored the client secret of %s in the keychain", name)


def forget_secret(origin: str, client_id: str) -> bool:
    """Delete the stored secret; return False when there was none."""
    return _forget(entry_name(origin, client_id))


def forget_all() -> int:
    """Delete every secret this app stored; return how many were deleted."""
    try:
        names = _remembered_names()
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(_unavailable_message(exc)) from exc
    deleted = sum(1 for name in names if _forget(name))
    try:
        keyring.delete_password(SERVICE_NAME, _INDEX_USERNAME)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(_unavailable_message(exc)) from exc
    return deleted


def _forget(name: str) -> bool:
    try:
        keyring.delete_password(SERVICE_NAME, name)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(_unavailable_message(exc)) from exc
    logger.info("Deleted the client secret of %s from the keychain", name)
    return True


def _remembered_names() -> list[str]:
    index = keyring.get_password(SERVICE_NAME, _INDEX_USERNAME) or ""
    return [line for line in index.splitlines() if line]


def _unavailable_message(exc: Exception) -> str:
    return (
        f"No keychain is available on this computer ({exc}), so the secret cannot be "
        "remembered. It is kept for this session only; set GENESYS_CLIENT_SECRET for "
        "scheduled exports."
    )
