"""Base URLs without their credentials, and whose endpoint a URL is.

A base URL may carry a secret: ``https://user:KEY@host/v1`` or ``…/v1?api-key=KEY``. Before a URL
is shown, logged, put in a notice or stored, ``safe_url`` strips it; ``split_credentials`` keeps
the secret apart so the HTTP client can still send it.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that carry a credential (compared lower-case, "-" and "_" alike).
SECRET_PARAMS = frozenset(
    {
        "key", "apikey", "api_key", "token", "access_token", "accesstoken", "auth", "authorization",
        "secret", "client_secret", "password", "pass", "pwd", "sig", "signature", "sk", "ak", "bearer",
        "x_api_key", "subscription_key", "code",
    }
)
OPENAI_HOSTS = frozenset({"api.openai.com"})
_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>）)】]+")
_MASK = "***"


def _is_secret(name: str) -> bool:
    return name.strip().lower().replace("-", "_") in SECRET_PARAMS


def split_credentials(url: str) -> tuple[str, dict[str, str], str | None]:
    """(the URL without credentials, the secret query parameters, the ``user:password`` userinfo)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url, {}, None
    userinfo = None
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
    query = parse_qsl(parts.query, keep_blank_values=True)
    secret = {k: v for k, v in query if _is_secret(k)}
    kept = [(k, v) for k, v in query if not _is_secret(k)]
    clean = urlunsplit((parts.scheme, netloc, parts.path, urlencode(kept), parts.fragment))
    return clean, secret, userinfo


def safe_url(url: str | None) -> str:
    """A URL fit to show, log or store: no userinfo, secret query parameters masked."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "（地址无法显示）"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = [(k, _MASK if _is_secret(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="*"), parts.fragment))


def scrub(text: str) -> str:
    """Every URL inside ``text`` made safe (for log lines and provider messages)."""
    if "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda m: safe_url(m.group(0)), text)


def host_of(url: str | None) -> str:
    try:
        return (urlsplit((url or "").strip()).hostname or "").lower()
    except ValueError:
        return ""


def is_openai(url: str | None) -> bool:
    """True only for OpenAI's own API (the only endpoint ``OPENAI_API_KEY`` may be sent to)."""
    return host_of(url) in OPENAI_HOSTS


def same_endpoint(a: str | None, b: str | None) -> bool:
    """The same server and path (credentials and trailing slashes aside): a key may follow."""
    if not a or not b:
        return False
    ca, _, _ = split_credentials(a)
    cb, _, _ = split_credentials(b)
    return ca.rstrip("/").lower() == cb.rstrip("/").lower()


class ScrubFilter(logging.Filter):
    """Rewrites log records of the HTTP stack so no URL in them carries a credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is left as it is
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_FILTER = ScrubFilter()
HTTP_LOGGERS = ("httpx", "httpx2", "httpcore", "httpcore2", "openai", "openai._base_client")


def install_log_filter() -> None:
    """Attach the scrubbing filter to the HTTP client loggers (idempotent)."""
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


__all__ = ["install_log_filter", "is_openai", "safe_url", "same_endpoint", "scrub", "split_credentials"]
