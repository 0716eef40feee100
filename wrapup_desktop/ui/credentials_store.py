"""The window's use of the OS keychain: remember, load and forget a client secret.

The entries are those of `wrapup_desktop.keychain` (service "WrapUp Desktop", user name
`"{origin}:{client_id}"` with the login origin of the region), so a secret remembered here also
serves the command line. Where no keychain backend exists, loading finds nothing, and saving or
forgetting returns the session-only message for the view. The secret then stays in memory only.
`keyring` is imported on first use, because its backends take a while to load.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

NO_KEYCHAIN_MESSAGE = (
    "No keychain is available on this computer, so the secret is kept for this session only."
)


@dataclass(frozen=True)
class StoreOutcome:
    """The result of a keychain change: whether it worked, and a sentence for the view."""

    ok: bool
    message: str


class CredentialStore:
    """Reads, writes and deletes client secrets in the OS keychain for the sign-in view."""

    def load(self, origin: str, client_id: str) -> str | None:
        """Return the remembered secret, or None when none is saved or no keychain exists."""
        if not origin or not client_id:
            return None
        from wrapup_desktop import keychain

        try:
            return keychain.load_secret(origin, client_id)
        except keychain.KeychainUnavailableError as exc:
            logger.info("Keychain not readable: %s", exc)
            return None

    def save(self, origin: str, client_id: str, secret: str) -> StoreOutcome:
        """Remember a secret; without a keychain, say that it is kept for this session."""
        from wrapup_desktop import keychain

        try:
            keychain.save_secret(origin, client_id, secret)
        except keychain.KeychainUnavailableError as exc:
            logger.warning("Keychain not writable: %s", exc)
            return StoreOutcome(ok=False, message=NO_KEYCHAIN_MESSAGE)
        return StoreOutcome(ok=True, message="The secret is saved in this computer's keychain.")

    def forget(self, origin: str, client_id: str) -> StoreOutcome:
        """Delete a remembered secret; deleting one that is not there is not an error."""
        from wrapup_desktop import keychain

        try:
            deleted = keychain.forget_secret(origin, client_id)
        except keychain.KeychainUnavailableError as exc:
            logger.warning("Keychain not writable: %s", exc)
            return StoreOutcome(ok=False, message=NO_KEYCHAIN_MESSAGE)
        if not deleted:
            return StoreOutcome(ok=True, message="No secret was saved for this client.")
        return StoreOutcome(
            ok=True, message="The secret is removed from this computer's keychain."
        )
