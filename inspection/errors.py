"""Domain exceptions shared by every area.

Pure modules (no Flask) raise these too, so messages are kept as untranslated
templates with parameters; the error handlers translate them at the edge.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction into the catalogues without translating it here."""
    return message


class DomainError(Exception):
    """Base of the errors a user can cause and be told about."""

    code = "domain_error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        # field name → untranslated message template
        self.fields = fields or {}
        # machine-readable details an API client may act on (e.g. the current state on a conflict)
        self.extra = extra or {}


class ValidationError(DomainError):
    """Input is malformed or breaks a domain rule (422)."""

    code = "validation_error"
    status = 422


class NotFound(DomainError):
    """The thing asked for does not exist (404)."""

    code = "not_found"
    status = 404


class NotPermitted(DomainError):
    """The acting user's roles do not allow this (403)."""

    code = "forbidden"
    status = 403


class InvalidTransition(DomainError):
    """A workflow action is not allowed from the current state (409)."""

    code = "invalid_transition"
    status = 409


class StaleVersion(DomainError):
    """The record changed since the client read it (409)."""

    code = "stale_version"
    status = 409


class UuidTaken(DomainError):
    """A client UUID already names another user's (or another kind of) record (409)."""

    code = "uuid_taken"
    status = 409


class StorageFull(DomainError):
    """The server has no room left for a file (507): nothing was stored; send it again later.

    A 5xx, so the phone's outbox keeps the photo and retries it (OFFLINE.md rule 3).
    """

    code = "storage_full"
    status = 507
    retry_after = 60  # seconds: freeing disk space takes an administrator


# Codes that messages may name (roles, states, actions, directions…) and their words. Each area
# registers its own lists here, so the shared error handling imports no area.
CODE_WORDS: dict[str, str] = {}


def register_code_words(words: dict[Any, str]) -> None:
    """Let messages that name these codes show their words instead (translated at the edge)."""
    CODE_WORDS.update({str(code): word for code, word in words.items()})
