"""``drafts list|assign``: which agency each stored draft belongs to, for an office server's administrator.

Drafts made on a desktop, or before accounts existed, belong to no agency: no clerk sees them until
``drafts assign DRAFT_ID --agency "机关名称"`` gives them to one (reviewers see every draft).
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.commands import print_json
from assistant.errors import AssistantError

ORDER = 65


def register(sub: Any) -> None:
    p = sub.add_parser("drafts", help="列出草稿所属机关，或把草稿归属到某个机关（办公室服务器模式）")
    actions = p.add_subparsers(dest="action", required=True, metavar="操作")
    ls = actions.add_parser("list", help="列出草稿及其所属机关")
    ls.add_argument("--agency", help="只列出该机关的草稿")
    ls.add_argument("--json", action="store_true", help="以 JSON 输出")
    ls.set_defaults(run=_list)
    assign = actions.add_parser("assign", help="把草稿归属到某个机关")
    assign.add_argument("draft_id", help="草稿编号（见 drafts list）")
    assign.add_argument("--agency", required=True, help="机关名称（与账户的机关名称一致）")
    assign.set_defaults(run=_assign)


def _list(args: argparse.Namespace) -> int:
    from assistant.auth import normal_agency
    from assistant.store import DraftStore

    rows = DraftStore().summaries(owner_agency=normal_agency(args.agency) if args.agency else None)
    if args.json:
        print_json([{"id": s.id, "title": s.title, "owner_agency": s.owner_agency,
                     "updated_at": s.updated_at.isoformat(timespec="seconds")} for s in rows])
        return 0
    for s in rows:
        print(f"{s.id}\t{s.owner_agency or '（未归属）'}\t{s.title}")
    return 0


def _assign(args: argparse.Namespace) -> int:
    from assistant.auth import normal_agency
    from assistant.store import DraftStore

    agency = normal_agency(args.agency)
    if not agency:
        raise AssistantError("请填写机关名称（--agency）。")
    store = DraftStore()
    store.assign(args.draft_id, agency)
    store.record_event("assign", by=None, draft_id=args.draft_id, client="命令行", detail=f"归属到 {agency}")
    print(f"草稿 {args.draft_id} 已归属到“{agency}”。")
    return 0
