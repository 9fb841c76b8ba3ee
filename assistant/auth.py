"""Who may do what: the two modes, the roles, and the rule checked for every draft and action.

*Desktop* (the default): one clerk's machine, the app on 127.0.0.1 only, no sign-in; that clerk may
do everything. *Office server*: on when ``NIANBAO_USERS`` names a users file; everyone signs in, and
each draft belongs to an agency:

- a **clerk** (填报人员) lists, opens, edits and exports only their own agency's drafts, and creates
  drafts for it;
- a **reviewer** (审核人员, the 政务公开办) sees every agency's drafts read-only and uses the batch review;
- an **admin** (账户管理员) manages accounts and sees no draft.

The workspace asks an ``Actor`` for the current user before every load and action; a signed-in
session (``assistant.sessions``) answers only while it is alive, so an expired or disabled
account is refused on the server, not only in the page.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal, Protocol

from assistant.errors import AssistantError

Role = Literal["clerk", "reviewer", "admin", "desktop"]
ROLES: dict[str, str] = {"clerk": "填报人员", "reviewer": "审核人员", "admin": "账户管理员"}
DEFAULT_IDLE_MINUTES = 30
MAX_IDLE_MINUTES = 24 * 60


class AccessDenied(AssistantError):
    """The signed-in user may not do this (another agency's draft, a read-only role)."""


class SignInRequired(AssistantError):
    """Nobody is signed in, the sign-in expired, or the account was disabled since."""


class SignInFailed(AssistantError):
    """Wrong name or password, a disabled account, or too many failures: nothing is said about which."""


@dataclass(frozen=True)
class User:
    name: str
    agency: str | None
    role: Role

    @property
    def desktop(self) -> bool:
        return self.role == "desktop"

    @property
    def label(self) -> str:
        """How the user is named in the page: name, agency and role."""
        if self.desktop:
            return "本机"
        return f"{self.name}（{self.agency or '未填机关'} · {ROLES.get(self.role, self.role)}）"

    def current(self) -> User:
        """A plain user is always current (desktop mode, command line)."""
        return self


DESKTOP = User(name="本机", agency=None, role="desktop")


class Actor(Protocol):
    """Whoever acts through a workspace: ``current()`` is the user, or SignInRequired."""

    def current(self) -> User: ...


class SignedOut:
    """The actor of a page nobody has signed in to: every action is refused."""

    def current(self) -> User:
        raise SignInRequired("请先登录。")


def recorded_name(user: User) -> str | None:
    """The name written into the audit trail (desktop mode has one anonymous clerk)."""
    return None if user.desktop else user.name


# -- the rule --------------------------------------------------------------------------------------


def normal_agency(name: str | None) -> str | None:
    """An agency name as compared: full-width forms folded (NFKC), spaces removed at the ends and runs made one."""
    if name is None:
        return None
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    return text or None


def may_view(user: User, owner_agency: str | None) -> bool:
    if user.role in ("desktop", "reviewer"):
        return True
    if user.role == "clerk":
        return owner_agency is not None and normal_agency(owner_agency) == normal_agency(user.agency)
    return False


def may_edit(user: User, owner_agency: str | None) -> bool:
    if user.desktop:
        return True
    return user.role == "clerk" and may_view(user, owner_agency)


def may_create(user: User) -> bool:
    return user.role in ("desktop", "clerk")


def may_review(user: User) -> bool:
    """The batch review of a jurisdiction's reports (the 政务公开办's work)."""
    return user.role in ("desktop", "reviewer")


def may_manage_users(user: User) -> bool:
    return user.role == "admin"


def check_view(user: User, owner_agency: str | None) -> None:
    if not may_view(user, owner_agency):
        raise AccessDenied("无权查看此草稿。")


def check_edit(user: User, owner_agency: str | None) -> None:
    check_view(user, owner_agency)
    if not may_edit(user, owner_agency):
        raise AccessDenied("此账户只能查看草稿，不能修改。")


def check_create(user: User) -> None:
    if not may_create(user):
        raise AccessDenied("此账户不能新建草稿（只有填报人员可以）。")


# -- the mode --------------------------------------------------------------------------------------


def users_path() -> Path | None:
    """The users file named by ``NIANBAO_USERS``: office-server mode; None is desktop mode."""
    value = os.environ.get("NIANBAO_USERS", "").strip()
    return Path(value).expanduser() if value else None


def server_mode() -> bool:
    return users_path() is not None


def idle_timeout() -> timedelta:
    """How long a signed-in session may stay idle (``NIANBAO_IDLE_MINUTES``, default 30)."""
    value = os.environ.get("NIANBAO_IDLE_MINUTES", "").strip()
    if not value:
        return timedelta(minutes=DEFAULT_IDLE_MINUTES)
    try:
        minutes = float(value)
    except ValueError:
        minutes = -1
    if not 0 < minutes <= MAX_IDLE_MINUTES:
        raise AssistantError(f"NIANBAO_IDLE_MINUTES 应为 1 到 {MAX_IDLE_MINUTES} 之间的分钟数，现为“{value[:20]}”。")
    return timedelta(minutes=minutes)


def duration_text(idle: timedelta) -> str:
    """30分钟, 2小时, 45秒: how an idle limit reads in a message."""
    seconds = round(idle.total_seconds())
    if seconds < 60:
        return f"{seconds}秒"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}小时"
    return f"{round(seconds / 60)}分钟"


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the app on this machine."""
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False
