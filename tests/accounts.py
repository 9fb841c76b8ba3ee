"""Accounts for the access tests: two clerks of two agencies, a reviewer and an admin, in a users file."""

from __future__ import annotations

from pathlib import Path

from assistant.users import UsersFile

AGENCY_A = "长春市南关区自强街道办事处"
AGENCY_B = "淮安市洪泽区人民政府办公室"
PASSWORDS = {"alice": "alice-pass-1", "bob": "bob-pass-22", "rev": "reviewer-pass-3", "adm": "admin-pass-44"}


def make_users(path: Path) -> UsersFile:
    users = UsersFile(path)
    users.add("alice", AGENCY_A, "clerk", PASSWORDS["alice"])
    users.add("bob", AGENCY_B, "clerk", PASSWORDS["bob"])
    users.add("rev", "淮安市政务公开办公室", "reviewer", PASSWORDS["rev"])
    users.add("adm", "淮安市政务公开办公室", "admin", PASSWORDS["adm"])
    return users
