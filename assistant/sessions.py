"""Signing in on the office server: password check, slowing repeated failures, idle expiry, audit.

``SignInDesk.sign_in`` checks a name and password against the users file and returns a ``Session``,
the actor a workspace asks before every action. A session ends after ``idle`` without an action, or
as soon as its account is disabled or changed in the users file.

Failures are slowed per account and per client address: after ``FREE_FAILURES`` failures in a row,
each further attempt must wait ``2, 4, 8 …`` seconds (at most ``MAX_WAIT``) after the last one, and
an attempt made too early is refused without checking the password. A success clears the account's
and the client's count. Sign-ins, failures and sign-outs are written to the audit log; the password
and its hash never are, and a failed attempt on an unknown name does not record what was typed
(it may be a password typed into the wrong box).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from assistant.auth import AccessDenied, Actor, SignInFailed, SignInRequired, User, duration_text, may_manage_users
from assistant.store import DraftStore
from assistant.users import MAX_PASSWORD, UsersFile, describe

FREE_FAILURES = 5
MAX_WAIT = 300.0
FORGET_AFTER = 3600.0  # a count untouched this long starts again from zero
MAX_KEYS = 10_000
WRONG = "用户名或密码不正确。"

Clock = Callable[[], float]


class Throttle:
    """Failure counts per key ("account:…", "client:…"), in memory, shared by every session of the server."""

    def __init__(self, free: int = FREE_FAILURES, max_wait: float = MAX_WAIT, clock: Clock = time.monotonic) -> None:
        self.free, self.max_wait, self.clock = free, max_wait, clock
        self._counts: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds before another attempt for these keys is allowed (0: now)."""
        now = self.clock()
        with self._lock:
            return max((self._wait(key, now) for key in keys), default=0.0)

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                count, last = self._counts.pop(key, (0, now))
                if now - last > FORGET_AFTER:
                    count = 0
                self._counts[key] = (count + 1, now)
            while len(self._counts) > MAX_KEYS:  # many addresses at once: forget the oldest
                self._counts.popitem(last=False)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._counts.pop(key, None)

    def _wait(self, key: str, now: float) -> float:
        count, last = self._counts.get(key, (0, now))
        if count < self.free or now - last > FORGET_AFTER:
            return 0.0
        delay = min(2.0 ** (count - self.free + 1), self.max_wait)
        return max(0.0, last + delay - now)


@dataclass
class Session:
    """A signed-in user; ``current()`` refuses once the session is idle too long or the account changed."""

    user: User
    users: UsersFile
    idle: timedelta
    clock: Clock = time.monotonic
    last_seen: float = field(default=0.0)
    ended: str | None = None  # why it ended (Chinese), once it has

    def __post_init__(self) -> None:
        self.last_seen = self.last_seen or self.clock()

    def current(self) -> User:
        """The user, touching the session; SignInRequired once it has ended."""
        self._check()
        self.last_seen = self.clock()
        return self.user

    def alive(self) -> bool:
        """Whether the session still holds, without counting this as activity."""
        try:
            self._check()
        except SignInRequired:
            return False
        return True

    def end(self, reason: str = "已退出登录。") -> None:
        self.ended = self.ended or reason

    def _check(self) -> None:
        if self.ended:
            raise SignInRequired(self.ended)
        if self.clock() - self.last_seen > self.idle.total_seconds():
            self.end(f"超过{duration_text(self.idle)}没有操作，登录已失效，请重新登录。")
            raise SignInRequired(self.ended or "")
        try:
            account = self.users.find(self.user.name)
        except Exception:  # the file is being replaced or is damaged: refuse, never let in
            account = None
        if account is None or account.disabled or account.user != self.user:
            self.end("账户已停用或已被修改，请重新登录。")
            raise SignInRequired(self.ended or "")


class SignInDesk:
    """One per server process: the users file, the failure counts and the audit log."""

    def __init__(self, users: UsersFile, store: DraftStore, idle: timedelta, clock: Clock = time.monotonic) -> None:
        self.users, self.store, self.idle, self.clock = users, store, idle, clock
        self.throttle = Throttle(clock=clock)

    def sign_in(self, name: str, password: str, client: str | None) -> Session:
        """A session for this name and password, or SignInFailed (Chinese) saying as little as it must."""
        name = name.strip()[:64]
        keys = [f"account:{name.casefold()}", f"client:{client or 'local'}"]
        wait = self.throttle.wait(keys)
        if wait > 0:  # refused unchecked and unrecorded: the failures that led here are in the audit log
            raise SignInFailed(f"登录失败次数过多，请在{int(wait) + 1}秒后再试。")
        plausible = name and password and len(password) <= MAX_PASSWORD  # a huge "password" is not hashed
        account = self.users.verify(name, password) if plausible else None
        if account is None or account.disabled:
            self.throttle.failed(keys)
            self.store.record_event("signin-failed", by=self._known(name), client=client,
                                    detail="" if self._known(name) else "未知用户名")
            raise SignInFailed("此账户已停用，请联系管理员。" if account is not None else WRONG)
        self.throttle.succeeded(keys)
        self.store.record_event("signin", by=account.name, client=client)
        return Session(account.user, self.users, self.idle, self.clock)

    def sign_out(self, session: Session, client: str | None = None) -> None:
        if not session.ended:
            self.store.record_event("signout", by=session.user.name, client=client)
        session.end()

    def _known(self, name: str) -> str | None:
        try:
            account = self.users.find(name) if name else None
        except Exception:
            return None
        return account.name if account is not None else None


class AccountAdmin:
    """The accounts page's actions, for a signed-in admin only; each change is audited with the admin's name."""

    def __init__(self, actor: Actor, users: UsersFile, store: DraftStore) -> None:
        self.actor, self.users, self.store = actor, users, store

    def accounts(self) -> list[dict[str, Any]]:
        self._admin()
        return [describe(a) for a in self.users.accounts()]

    def add(self, name: str, agency: str, role: str, password: str) -> None:
        admin = self._admin()
        account = self.users.add(name, agency, role, password)
        self.store.record_event("user-add", by=admin.name,
                                detail=f"账户 {account.name}（{account.agency} · {account.role}）")

    def set_password(self, name: str, password: str) -> None:
        admin = self._admin()
        account = self.users.set_password(name, password)
        self.store.record_event("user-passwd", by=admin.name, detail=f"账户 {account.name}")

    def set_disabled(self, name: str, disabled: bool) -> None:
        admin = self._admin()
        if disabled and name.casefold() == admin.name.casefold():
            raise AccessDenied("不能停用自己正在使用的账户。")
        account = self.users.set_disabled(name, disabled)
        self.store.record_event("user-disable" if disabled else "user-enable", by=admin.name,
                                detail=f"账户 {account.name}")

    def _admin(self) -> User:
        user = self.actor.current()
        if not may_manage_users(user):
            raise AccessDenied("只有账户管理员可以管理账户。")
        return user
