"""One error family with Chinese, actionable messages.

Only ``app.py`` and the command line turn these into UI messages or exit codes. Anything else
that escapes is a bug: under tests it re-raises (see ``assistant.cli``).
"""

from __future__ import annotations


class AssistantError(Exception):
    """An error a clerk can act on; ``message`` is the Chinese text shown to them."""

    exit_code = 2

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InputError(AssistantError):
    """A file or value that cannot be read as what it claims to be."""


class UnsupportedFormat(InputError):
    """A file type the tool does not read."""


class EncryptedFile(InputError):
    """A password-protected or encrypted document."""


class ScannedDocument(InputError):
    """A PDF without a text layer (a scan)."""


class NotAReport(InputError):
    """A readable document that is not a 政府信息公开工作年度报告."""


class FileTooLarge(InputError):
    """A file over the size the tool accepts."""


class InvalidValue(AssistantError):
    """A value that does not fit a cell or field (e.g. "3.5" as a count)."""

    def __init__(self, message: str, *, key: str | None = None, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.key = key


class EngineError(AssistantError):
    """A chat engine could not produce a usable proposal (timeout, refused key, bad output)."""
