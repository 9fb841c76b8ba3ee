"""The accounts page, the only page an admin sees: list, add, reset a password, disable or enable.

The same as ``nianbao users …`` on the server; every change goes through ``AccountAdmin``, which
checks that the signed-in user is an admin and writes the change to the audit log.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant.auth import ROLES, Actor, users_path
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.sessions import AccountAdmin
from assistant.store import DraftStore
from assistant.users import UsersFile
from ui.state import act, show_flash


def _admin(store: DraftStore, actor: Actor) -> AccountAdmin:
    path = users_path()
    if path is None:
        raise AssistantError("未启用办公室服务器模式。")
    return AccountAdmin(actor, UsersFile(Path(path)), store)


def admin_page(store: DraftStore, actor: Actor) -> None:
    st.title("年报助手 · 账户管理")
    st.caption("管理员账户只管理账户，看不到任何草稿。也可在服务器上用 nianbao users … 命令管理。")
    show_flash()
    desk = _admin(store, actor)
    try:
        accounts = desk.accounts()
    except AssistantError as e:
        st.error(md(e.message))
        return
    rows = [{"用户名": a["name"], "所属机关": a["agency"], "角色": a["role_name"],
             "状态": "已停用" if a["disabled"] else "正常", "修改时间": a["changed"]} for a in accounts]
    st.dataframe(rows, hide_index=True, width="stretch")
    names = [a["name"] for a in accounts]
    left, right = st.columns(2, gap="large")
    with left, st.form("add-user", clear_on_submit=True):
        st.subheader("添加账户")
        st.text_input("用户名", key="admin_new_name")
        st.text_input("所属机关", key="admin_new_agency")
        st.selectbox("角色", list(ROLES), format_func=lambda r: ROLES[r], key="admin_new_role")
        st.text_input("初始密码（至少8位）", type="password", key="admin_new_password")
        st.form_submit_button("添加", key="admin_add", on_click=_on_add, args=(desk,))
    with right:
        st.subheader("已有账户")
        if names:
            name = st.selectbox("账户", names, key="admin_pick")
            a, b = st.columns(2)
            a.button("停用", key="admin_disable", on_click=act, args=(desk.set_disabled, name, True),
                     kwargs={"ok": f"已停用“{name}”。"})
            b.button("启用", key="admin_enable", on_click=act, args=(desk.set_disabled, name, False),
                     kwargs={"ok": f"已启用“{name}”。"})
            with st.form("reset-password", clear_on_submit=True):
                st.text_input("新密码（至少8位）", type="password", key="admin_reset_password")
                st.form_submit_button("重设密码", key="admin_reset", on_click=_on_reset, args=(desk, name))


def _on_add(desk: AccountAdmin) -> None:
    get = st.session_state.get
    password = str(get("admin_new_password") or "")
    st.session_state["admin_new_password"] = ""
    name = str(get("admin_new_name") or "").strip()
    act(desk.add, name, str(get("admin_new_agency") or ""), str(get("admin_new_role") or "clerk"), password,
        ok=f"已添加账户“{name}”。")


def _on_reset(desk: AccountAdmin, name: str) -> None:
    password = str(st.session_state.get("admin_reset_password") or "")
    st.session_state["admin_reset_password"] = ""
    act(desk.set_password, name, password, ok=f"已重设“{name}”的密码。")
