"""Who may see and change what, checked in assistant/ (not in the page): agencies, roles, sessions, audit."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.auth import DESKTOP, AccessDenied, SignInFailed, SignInRequired, User
from assistant.changes import Change
from assistant.model import Meta, Report
from assistant.sessions import FREE_FAILURES, AccountAdmin, Session, SignInDesk
from assistant.store import DraftStore
from assistant.users import UsersFile
from assistant.workspace import Workspace, visible_drafts
from tests.accounts import AGENCY_A, AGENCY_B, PASSWORDS, make_users


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(f"sqlite:///{tmp_path / 'drafts.sqlite3'}")


@pytest.fixture
def users(tmp_path: Path) -> UsersFile:
    return make_users(tmp_path / "users" / "users.json")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desk(users: UsersFile, store: DraftStore, clock: Clock) -> SignInDesk:
    return SignInDesk(users, store, timedelta(minutes=30), clock=clock)


def sign_in(desk: SignInDesk, name: str, client: str = "10.0.0.7") -> Session:
    return desk.sign_in(name, PASSWORDS[name], client)


def report(agency: str) -> Report:
    return Report(meta=Meta(agency=agency, year=2025))


def change(value: int = 12) -> list[Change]:
    return [Change(cell="t3.new.natural", value=value, evidence="手工")]


# -- the users file -----------------------------------------------------------------------------


def test_users_file_holds_hashes_only_and_is_owner_only(users: UsersFile) -> None:
    text = users.path.read_text(encoding="utf-8")
    for password in PASSWORDS.values():
        assert password not in text
    data = json.loads(text)
    assert all(a["password_hash"].startswith("$argon2id$") for a in data["accounts"])
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600
    assert users.permissions_problem() is None
    users.set_password("alice", "a-new-password")
    users.set_disabled("bob", True)
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in users.path.parent.iterdir()) == ["users.json", "users.json.lock"]  # no temp left
    assert users.verify("alice", "a-new-password") is not None
    assert users.verify("alice", PASSWORDS["alice"]) is None
    assert users.verify("ALICE", "a-new-password") is not None  # names compare without case
    assert users.verify("nobody", "whatever-pass") is None
    users.path.chmod(0o644)
    assert "chmod 600" in (users.permissions_problem() or "")


def test_users_file_refuses_bad_accounts(users: UsersFile) -> None:
    from assistant.users import UsersFileError

    for name, agency, role, password, message in [
        ("carol", AGENCY_A, "clerk", "short", "至少8位"),
        ("alice", AGENCY_A, "clerk", "long-enough-1", "已存在"),
        ("carol", AGENCY_A, "boss", "long-enough-1", "角色应为"),
        ("carol", "  ", "clerk", "long-enough-1", "机关名称"),
        ("ca rol", AGENCY_A, "clerk", "long-enough-1", "用户名"),
        ("carol", AGENCY_A, "clerk", "carol", "至少8位"),
        ("carol1234", AGENCY_A, "clerk", "carol1234", "不能与用户名相同"),
    ]:
        with pytest.raises(UsersFileError, match=message):
            users.add(name, agency, role, password)
    users.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsersFileError, match="已损坏"):
        UsersFile(users.path).accounts()


# -- drafts belong to an agency -------------------------------------------------------------------


def test_clerk_sees_and_changes_only_own_agency(store: DraftStore, desk: SignInDesk) -> None:
    alice, bob = sign_in(desk, "alice"), sign_in(desk, "bob")
    a = Workspace.create(store, report(AGENCY_A), actor=alice)
    b = Workspace.create(store, report(AGENCY_B), actor=bob)
    assert store.owner(a.draft.id) == AGENCY_A and store.owner(b.draft.id) == AGENCY_B
    assert [s.id for s in visible_drafts(store, alice)] == [a.draft.id]
    assert [s.id for s in visible_drafts(store, bob)] == [b.draft.id]

    with pytest.raises(AccessDenied, match="无权查看此草稿"):
        Workspace.open(store, b.draft.id, actor=alice)
    # A workspace on B's draft acting for alice (e.g. a stale object in a session): every action refused.
    foreign = Workspace(store, b.draft, b.revision, actor=alice, owner_agency=AGENCY_A)
    for action in (lambda: foreign.apply(change(), source="edit"), foreign.undo, foreign.reload,
                   lambda: foreign.export("json"), foreign.history, foreign.conversation,
                   lambda: foreign.say("你好", role="user"), lambda: foreign.record_export("docx")):
        with pytest.raises(AccessDenied, match="无权查看此草稿"):
            action()
    assert store.load(b.draft.id)[1] == b.revision  # untouched

    assert a.apply(change(), source="edit")
    assert Workspace.open(store, a.draft.id, actor=alice).report.value("t3.new.natural") == 12


def test_reviewer_sees_every_agency_read_only_and_admin_sees_none(store: DraftStore, desk: SignInDesk) -> None:
    a = Workspace.create(store, report(AGENCY_A), actor=sign_in(desk, "alice"))
    b = Workspace.create(store, report(AGENCY_B), actor=sign_in(desk, "bob"))
    rev = sign_in(desk, "rev")
    assert {s.id for s in visible_drafts(store, rev)} == {a.draft.id, b.draft.id}
    for draft_id in (a.draft.id, b.draft.id):
        ws = Workspace.open(store, draft_id, actor=rev)
        assert not ws.can_edit
        assert ws.export("json")  # reading is allowed
        for action in (lambda w=ws: w.apply(change(), source="edit"), ws.undo,
                       lambda w=ws: w.say("改一下", role="user")):
            with pytest.raises(AccessDenied, match="只能查看"):
                action()
    with pytest.raises(AccessDenied, match="不能新建"):
        Workspace.create(store, report(AGENCY_A), actor=rev)

    adm = sign_in(desk, "adm")
    assert visible_drafts(store, adm) == []
    with pytest.raises(AccessDenied, match="无权查看此草稿"):
        Workspace.open(store, a.draft.id, actor=adm)


def test_desktop_keeps_every_draft_open(store: DraftStore) -> None:
    ws = Workspace.create(store, report(AGENCY_A))
    assert ws.can_edit and ws.owner_agency is None
    assert [s.id for s in visible_drafts(store, DESKTOP)] == [ws.draft.id]
    assert ws.apply(change(), source="edit")
    assert store.history(ws.draft.id)[-1]["by"] is None


def test_admin_reassigning_a_draft_takes_effect_at_the_next_action(store: DraftStore, desk: SignInDesk) -> None:
    alice = sign_in(desk, "alice")
    ws = Workspace.create(store, report(AGENCY_A), actor=alice)
    store.assign(ws.draft.id, AGENCY_B)
    with pytest.raises(AccessDenied):
        ws.apply(change(), source="edit")
    assert Workspace.open(store, ws.draft.id, actor=sign_in(desk, "bob")).can_edit


# -- who did what ------------------------------------------------------------------------------


def test_audit_rows_carry_the_user(store: DraftStore, desk: SignInDesk) -> None:
    alice = sign_in(desk, "alice", client="10.1.2.3")
    ws = Workspace.create(store, report(AGENCY_A), actor=alice)
    ws.apply(change(12), source="edit", summary="填写")
    ws.undo()
    ws.record_export("docx")
    rows = store.history(ws.draft.id)
    assert [(r["source"], r["by"]) for r in rows] == [("edit", "alice"), ("edit", "alice"), ("undo", "alice")]
    exports = store.events(draft_id=ws.draft.id, kind="export")
    assert len(exports) == 1 and exports[0]["by"] == "alice" and "docx" in exports[0]["detail"]
    signins = store.events(kind="signin")
    assert signins[0]["by"] == "alice" and signins[0]["client"] == "10.1.2.3"


def test_failed_sign_ins_are_recorded_without_what_was_typed(store: DraftStore, desk: SignInDesk) -> None:
    with pytest.raises(SignInFailed, match="用户名或密码不正确"):
        desk.sign_in("alice", "wrong-password", "10.0.0.1")
    with pytest.raises(SignInFailed, match="用户名或密码不正确"):
        desk.sign_in("alice-pass-1", "alice-pass-1", "10.0.0.1")  # a password typed into the name box
    failed = store.events(kind="signin-failed")
    assert [e["by"] for e in failed] == [None, "alice"]
    dump = json.dumps(store.events(), default=str) + json.dumps(store.history("x"), default=str)
    assert "alice-pass-1" not in dump and "wrong-password" not in dump and "$argon2" not in dump


# -- sessions and slowing repeated failures ---------------------------------------------------------


def test_wrong_password_is_slowed_per_account(desk: SignInDesk, clock: Clock) -> None:
    for i in range(FREE_FAILURES):
        with pytest.raises(SignInFailed, match="用户名或密码不正确"):
            desk.sign_in("alice", f"guess-{i}-wrong", f"10.0.0.{i}")  # from different clients
    # the right password, too soon after: refused without being checked
    with pytest.raises(SignInFailed, match=r"登录失败次数过多，请在\d+秒后再试"):
        desk.sign_in("alice", PASSWORDS["alice"], "10.0.0.99")
    clock.now += 2.5
    with pytest.raises(SignInFailed, match="用户名或密码不正确"):
        desk.sign_in("alice", "one-more-wrong", "10.0.0.99")
    clock.now += 2.5  # the wait doubled (4 s)
    with pytest.raises(SignInFailed, match="登录失败次数过多"):
        desk.sign_in("alice", PASSWORDS["alice"], "10.0.0.99")
    clock.now += 2.0
    assert sign_in(desk, "alice").user.name == "alice"  # and a success clears the count
    with pytest.raises(SignInFailed, match="用户名或密码不正确"):
        desk.sign_in("alice", "wrong-again-1", "10.0.0.5")
    assert desk.throttle.wait(["account:alice"]) == 0
    # other accounts were never slowed
    assert sign_in(desk, "bob").user.name == "bob"


def test_wrong_passwords_from_one_client_are_slowed_across_accounts(desk: SignInDesk, clock: Clock) -> None:
    names = ["u1", "u2", "u3", "u4", "u5", "u6"]
    for name in names[:FREE_FAILURES]:
        with pytest.raises(SignInFailed):
            desk.sign_in(name, "spray-password", "192.0.2.50")
    with pytest.raises(SignInFailed, match="登录失败次数过多"):
        desk.sign_in("bob", PASSWORDS["bob"], "192.0.2.50")
    assert sign_in(desk, "bob", client="192.0.2.51").user.name == "bob"
    kinds = [e["kind"] for e in desk.store.events()]
    assert kinds.count("signin-failed") == FREE_FAILURES and kinds.count("signin") == 1  # slowed: not checked
    with pytest.raises(SignInFailed, match="用户名或密码不正确"):
        desk.sign_in("alice", "x" * 10_000_000, "192.0.2.52")  # refused without hashing ten megabytes


def test_session_expires_when_idle_and_when_disabled(store: DraftStore, desk: SignInDesk, clock: Clock,
                                                     users: UsersFile) -> None:
    alice = sign_in(desk, "alice")
    ws = Workspace.create(store, report(AGENCY_A), actor=alice)
    clock.now += 29 * 60
    assert ws.apply(change(1), source="edit")  # activity keeps it alive
    clock.now += 29 * 60
    assert ws.apply(change(2), source="edit")
    clock.now += 31 * 60
    assert not alice.alive()
    with pytest.raises(SignInRequired, match="30分钟没有操作"):
        ws.apply(change(3), source="edit")
    with pytest.raises(SignInRequired):
        Workspace.open(store, ws.draft.id, actor=alice)

    bob = sign_in(desk, "bob")
    wb = Workspace.create(store, report(AGENCY_B), actor=bob)
    users.set_disabled("bob", True)
    with pytest.raises(SignInRequired, match="停用"):
        wb.apply(change(), source="edit")
    with pytest.raises(SignInFailed, match="已停用"):
        sign_in(desk, "bob")


def test_account_admin_only_for_admins(store: DraftStore, desk: SignInDesk, users: UsersFile) -> None:
    with pytest.raises(AccessDenied):
        AccountAdmin(sign_in(desk, "alice"), users, store).accounts()
    admin = AccountAdmin(sign_in(desk, "adm"), users, store)
    admin.add("carol", AGENCY_A, "clerk", "carol-pass-1")
    admin.set_disabled("alice", True)
    with pytest.raises(AccessDenied, match="不能停用自己"):
        admin.set_disabled("adm", True)
    assert {a["name"]: a["disabled"] for a in admin.accounts()}["alice"] is True
    assert all("password_hash" not in a for a in admin.accounts())
    kinds = [(e["kind"], e["by"]) for e in store.events()]
    assert ("user-add", "adm") in kinds and ("user-disable", "adm") in kinds


# -- older databases ---------------------------------------------------------------------------


def _old_database(path: Path) -> None:
    """The store's tables as the previous release made them (no owner, no user columns)."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE drafts (id VARCHAR(32) PRIMARY KEY, agency TEXT, year INTEGER, revision INTEGER NOT NULL,
                             data TEXT NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
        CREATE TABLE draft_steps (draft_id VARCHAR(32) NOT NULL, step_id INTEGER NOT NULL, at DATETIME NOT NULL,
                                  source VARCHAR(16) NOT NULL, summary TEXT NOT NULL, prompt VARCHAR(64),
                                  changes TEXT NOT NULL, PRIMARY KEY (draft_id, step_id));
    """)
    con.commit()
    con.close()


def test_older_database_gets_the_columns_and_its_drafts_stay_private(tmp_path: Path, desk: SignInDesk,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    old = Workspace.create(DraftStore(f"sqlite:///{path}"), report(AGENCY_A))  # written before the upgrade ...
    con = sqlite3.connect(path)
    columns = {r[1] for r in con.execute("PRAGMA table_info(drafts)")} | {r[1] for r in con.execute(
        "PRAGMA table_info(draft_steps)")}
    con.close()
    assert {"owner_agency", "created_by", "by_user"} <= columns
    store = DraftStore(f"sqlite:///{path}")
    assert store.owner(old.draft.id) is None
    alice = sign_in(desk, "alice")
    assert visible_drafts(store, alice) == []  # a draft of no agency is no clerk's
    with pytest.raises(AccessDenied):
        Workspace.open(store, old.draft.id, actor=alice)
    assert Workspace.open(store, old.draft.id, actor=sign_in(desk, "rev")).report.meta.agency == AGENCY_A

    from assistant.cli import main

    monkeypatch.setenv("NIANBAO_DB_URL", f"sqlite:///{path}")
    assert main(["drafts", "assign", old.draft.id, "--agency", f" {AGENCY_A} "]) == 0  # an administrator gives it
    assert [s.id for s in visible_drafts(store, alice)] == [old.draft.id]
    assert main(["drafts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert listed[0]["owner_agency"] == AGENCY_A


def test_postgres_store_migrates_and_scopes(tmp_path: Path) -> None:
    from tests.pgserver import temporary_postgres

    users = make_users(tmp_path / "users.json")
    with temporary_postgres() as url:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:  # the previous release's tables
            conn.execute(text("CREATE TABLE drafts (id VARCHAR(32) PRIMARY KEY, agency TEXT, year INTEGER, "
                              "revision INTEGER NOT NULL, data TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
                              "updated_at TIMESTAMPTZ NOT NULL)"))
            conn.execute(text("CREATE TABLE draft_steps (draft_id VARCHAR(32), step_id INTEGER, at TIMESTAMPTZ NOT NULL, "
                              "source VARCHAR(16) NOT NULL, summary TEXT NOT NULL, prompt VARCHAR(64), "
                              "changes TEXT NOT NULL, PRIMARY KEY (draft_id, step_id))"))
        engine.dispose()
        store = DraftStore(url)
        desk = SignInDesk(users, store, timedelta(minutes=30))
        alice, bob = sign_in(desk, "alice"), sign_in(desk, "bob")
        ws = Workspace.create(store, report(AGENCY_A), actor=alice)
        ws.apply(change(), source="edit")
        assert store.history(ws.draft.id)[-1]["by"] == "alice"
        assert visible_drafts(store, bob) == []
        with pytest.raises(AccessDenied, match="无权查看此草稿"):
            Workspace.open(store, ws.draft.id, actor=bob)
        store.engine.dispose()


def test_user_roles_are_what_the_workspace_is_told() -> None:
    clerk = User("x", AGENCY_A, "clerk")
    assert clerk.current() is clerk and clerk.label.startswith("x（")
