"""The office server's accounts: one JSON file (``NIANBAO_USERS``) that holds no password.

Each account has a name, the agency it writes for, a role and an Argon2id hash of its password
(argon2-cffi). The file is rewritten atomically (a temporary file beside it, fsync, rename) with
owner-only permissions (0600), under a lock so that two commands cannot lose each other's change.
The server reads it again whenever it changes on disk: a disabled account is refused at its next
action, without a restart.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.auth import ROLES, User, normal_agency
from assistant.errors import AssistantError

MIN_PASSWORD = 8
MAX_PASSWORD = 256
_NAME = re.compile(r"^[\w.@-]{1,64}$")
_HASHER = PasswordHasher()  # RFC 9106's low-memory profile: Argon2id, 64 MiB, 3 passes


class UsersFileError(AssistantError):
    """The users file cannot be read or written, or an account change is not valid."""


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    agency: str
    role: Literal["clerk", "reviewer", "admin"]
    password_hash: str = Field(repr=False)
    disabled: bool = False
    created: datetime
    changed: datetime

    @property
    def user(self) -> User:
        return User(name=self.name, agency=self.agency, role=self.role)


class _Contents(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["nianbao-users"] = "nianbao-users"
    version: Literal[1] = 1
    accounts: list[Account] = Field(default_factory=list)


def check_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip()
    if not _NAME.match(name) or name.startswith("-"):
        raise UsersFileError("用户名应为1到64个字母、数字、汉字或 . _ @ -（不含空格，不以 - 开头）。")
    return name


def check_password(password: str, name: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsersFileError(f"密码至少{MIN_PASSWORD}位。")
    if len(password) > MAX_PASSWORD:
        raise UsersFileError(f"密码不能超过{MAX_PASSWORD}位。")
    if password.strip().casefold() == name.casefold():
        raise UsersFileError("密码不能与用户名相同。")
    if any(unicodedata.category(c) == "Cc" for c in password):
        raise UsersFileError("密码中不能有控制字符（如换行）。")
    return password


def check_agency(agency: str) -> str:
    text = normal_agency(agency)
    if not text:
        raise UsersFileError("请填写机关名称（--agency）。")
    if len(text) > 100 or any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise UsersFileError("机关名称应为不超过100字的一行文字。")
    return text


def check_role(role: str) -> Literal["clerk", "reviewer", "admin"]:
    if role not in ROLES:
        raise UsersFileError(
            f"角色应为 clerk（填报人员）、reviewer（审核人员）或 admin（账户管理员），不是“{role[:20]}”。")
    return role  # type: ignore[return-value]


class UsersFile:
    """The accounts in one file; reads are cached until the file changes on disk."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: tuple[tuple[int, int, int], list[Account]] | None = None
        self._lock = threading.Lock()
        self._dummy: str | None = None

    # -- reading --------------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        """Every account; an error (Chinese) when the file is missing or damaged."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise UsersFileError(f"用户文件“{self.path}”不存在。请先用 nianbao users add 添加账户。") from None
        except OSError as e:
            raise UsersFileError(f"无法读取用户文件“{self.path}”：{e.strerror}。") from None
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if self._cache is not None and self._cache[0] == key:
                return list(self._cache[1])
            accounts = self._read()
            self._cache = (key, accounts)
            return list(accounts)

    def find(self, name: str) -> Account | None:
        folded = unicodedata.normalize("NFKC", name).strip().casefold()
        return next((a for a in self.accounts() if a.name.casefold() == folded), None)

    def exists(self) -> bool:
        return self.path.is_file()

    def verify(self, name: str, password: str) -> Account | None:
        """The account if ``password`` is its password; None otherwise (unknown names cost the same time)."""
        account = self.find(name)
        if account is None:
            with contextlib.suppress(VerificationError, InvalidHashError):
                _HASHER.verify(self._dummy_hash(), password)
            return None
        try:
            _HASHER.verify(account.password_hash, password)
        except (VerificationError, VerifyMismatchError, InvalidHashError):
            return None
        if _HASHER.check_needs_rehash(account.password_hash):  # parameters raised since it was set
            with contextlib.suppress(UsersFileError):
                self._change(account.name, lambda a: a.model_copy(update={"password_hash": _HASHER.hash(password)}))
        return account

    def permissions_problem(self) -> str | None:
        """A Chinese warning when others than the owner may read the file (the hashes could be attacked)."""
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return None
        if os.name == "posix" and mode & 0o077:
            return f"用户文件“{self.path}”可被其他用户读取，请执行 chmod 600 “{self.path}”。"
        return None

    # -- changing -------------------------------------------------------------------------------

    def add(self, name: str, agency: str, role: str, password: str) -> Account:
        name = check_name(name)
        account_role = check_role(role)
        agency = check_agency(agency)
        check_password(password, name)
        now = datetime.now(UTC)
        account = Account(name=name, agency=agency, role=account_role, password_hash=_HASHER.hash(password),
                          created=now, changed=now)
        with self._locked():
            accounts = self._read(missing_ok=True)
            if any(a.name.casefold() == name.casefold() for a in accounts):
                raise UsersFileError(f"用户“{name}”已存在。")
            self._write([*accounts, account])
        return account

    def set_password(self, name: str, password: str) -> Account:
        account = self._existing(name)
        check_password(password, account.name)
        return self._change(account.name, lambda a: a.model_copy(update={"password_hash": _HASHER.hash(password)}))

    def set_disabled(self, name: str, disabled: bool) -> Account:
        return self._change(self._existing(name).name, lambda a: a.model_copy(update={"disabled": disabled}))

    # -- internals ------------------------------------------------------------------------------

    def _existing(self, name: str) -> Account:
        account = self.find(name)
        if account is None:
            raise UsersFileError(f"没有用户“{name[:64]}”。")
        return account

    def _change(self, name: str, change: Callable[[Account], Account]) -> Account:
        with self._locked():
            accounts = self._read()
            for i, a in enumerate(accounts):
                if a.name == name:
                    accounts[i] = change(a).model_copy(update={"changed": datetime.now(UTC)})
                    self._write(accounts)
                    return accounts[i]
        raise UsersFileError(f"没有用户“{name[:64]}”。")

    def _read(self, missing_ok: bool = False) -> list[Account]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if missing_ok:
                return []
            raise UsersFileError(f"用户文件“{self.path}”不存在。请先用 nianbao users add 添加账户。") from None
        except (OSError, UnicodeDecodeError) as e:
            reason = getattr(e, "strerror", None) or "编码错误"
            raise UsersFileError(f"无法读取用户文件“{self.path}”：{reason}。") from None
        try:
            return _Contents.model_validate(json.loads(text)).accounts
        except (ValueError, ValidationError):
            raise UsersFileError(f"用户文件“{self.path}”已损坏或不是年报助手的用户文件。") from None

    def _write(self, accounts: list[Account]) -> None:
        """Replace the file in one step: a reader sees the old or the new file, never half of one."""
        data = _Contents(accounts=accounts).model_dump_json(indent=2)
        directory = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=directory)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise UsersFileError(f"无法写入用户文件“{self.path}”：{e.strerror}。") from None
        if hasattr(os, "O_DIRECTORY"):  # the rename itself survives a power cut
            with contextlib.suppress(OSError):
                dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, across processes (a lock file beside the users file)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise UsersFileError(f"无法写入用户文件所在的文件夹“{self.path.parent}”：{e.strerror}。") from None
        try:
            _lock_file(fd)
            with self._lock:
                self._cache = None
                yield
                self._cache = None
        finally:
            os.close(fd)

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = _HASHER.hash(os.urandom(16).hex())
        return self._dummy


def _lock_file(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: one administrator at a time is the rule there
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def describe(account: Account) -> dict[str, Any]:
    """An account as listed (never its hash)."""
    return {"name": account.name, "agency": account.agency, "role": account.role,
            "role_name": ROLES[account.role], "disabled": account.disabled,
            "created": account.created.isoformat(timespec="seconds"),
            "changed": account.changed.isoformat(timespec="seconds")}
