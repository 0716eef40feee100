"""Errors that WrapUp Desktop shows to people.

Every error carries a message that says what failed, with the value, and what to do next. The
command line maps each type to its exit status; the UI catches `WrapUpError` and shows
`str(error)` in a dialog, with `details` behind "Show details".

    WrapUpError
    ├── InputError              bad arguments, dates or files (exit 2)
    ├── SignInError             wrong client id, secret or region (exit 4)
    │   └── PermissionMissingError   a 403 that names the permission to grant (exit 4)
    ├── ApiError                Genesys answered with an error that retries did not cure
    └── IncompleteExportError   the run stopped early; what was fetched is kept (exit 3)
"""

from __future__ import annotations


class WrapUpError(Exception):
    """Base of every error that is shown to a person."""

    exit_status = 1

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InputError(WrapUpError):
    """An argument, date, time zone or input file is invalid."""

    exit_status = 2


class SignInError(WrapUpError):
    """Genesys Cloud rejected the sign-in: client id, secret or region."""

    exit_status = 4


class PermissionMissingError(SignInError):
    """The OAuth client lacks a permission; `permission` names the one to grant."""

    def __init__(self, message: str, *, permission: str = "", details: str = "") -> None:
        super().__init__(message, details=details)
        self.permission = permission


class ApiError(WrapUpError):
    """Genesys Cloud answered with an error that retries did not cure."""

    exit_status = 3

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        context_id: str = "",
        details: str = "",
    ) -> None:
        super().__init__(message, details=details)
        self.status = status
        self.code = code
        self.context_id = context_id


class IncompleteExportError(WrapUpError):
    """The run ended before every slice was fetched; the rows fetched so far are kept."""

    exit_status = 3
