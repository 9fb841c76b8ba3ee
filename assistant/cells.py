"""The cell registry: the one place that knows the report's cells, fields and labels.

Every other part of 年报助手 (model, validator, importers, chat engines, exporters, UI) reads the
ids, official labels, aliases and total relations from here. Cell ids are public and follow
``shared/spec/report-template.md`` exactly.

Vocabulary kept apart on purpose:
- ``aliases``: other written forms of an official label found in published documents
  (2019 wording, typos, traditional characters are handled by normalisation, not here);
- ``phrases``: words a clerk uses in conversation for the same thing ("律所" for 法律服务机构).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a cell holds."""

    COUNT = "count"  # whole number >= 0 (件, 个, 项)
    WAN_YUAN = "wan_yuan"  # decimal >= 0, in 万元 (table 2 行政事业性收费)
    YUAN = "yuan"  # decimal >= 0, in 元 (信息处理费 in section 六)

    @property
    def unit(self) -> str:
        return {"count": "件", "wan_yuan": "万元", "yuan": "元"}[self.value]


@dataclass(frozen=True)
class Axis:
    """A row, column or group of one of the report's tables."""

    id: str
    label: str
    number: str = ""
    group: str | None = None
    aliases: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()

    @property
    def printed(self) -> str:
        """The label as printed in the official table, numbering included."""
        return f"{self.number}{self.label}"


@dataclass(frozen=True)
class Cell:
    """One number of the report, addressed by its public id."""

    id: str
    table: str
    row: str
    column: str
    kind: Kind
    label: str
    parts: tuple[str, ...] = ()

    @property
    def is_total(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True)
class Field:
    """A non-numeric key of the flat cell map: metadata and section texts."""

    id: str
    label: str
    kind: str  # "text", "year", "sections"
    number: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A subject section 一 is expected to speak of (rule S1-TOPICS)."""

    id: str
    label: str
    keywords: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# Table 2 — 主动公开政府信息情况

T2_CLAUSES: dict[str, str] = {
    "rules": "第二十条第（一）项",
    "normative": "第二十条第（一）项",
    "license": "第二十条第（五）项",
    "penalty": "第二十条第（六）项",
    "coercion": "第二十条第（六）项",
    "fees": "第二十条第（八）项",
}

T2_ITEMS: tuple[Axis, ...] = (
    Axis("rules", "规章", aliases=("规 章",), phrases=("规章",)),
    Axis(
        "normative",
        "行政规范性文件",
        aliases=("规范性文件",),
        phrases=("行政规范性文件", "规范性文件", "红头文件"),
    ),
    Axis("license", "行政许可", phrases=("行政许可", "许可决定", "许可")),
    Axis("penalty", "行政处罚", phrases=("行政处罚", "处罚决定", "处罚")),
    Axis("coercion", "行政强制", phrases=("行政强制", "强制措施", "强制执行", "强制")),
    Axis("fees", "行政事业性收费", phrases=("行政事业性收费", "事业性收费")),
)

T2_COLUMNS: tuple[Axis, ...] = (
    Axis(
        "issued",
        "本年制发件数",
        phrases=("制发", "出台", "印发", "新制定", "发布", "发了", "下发", "制定", "新发"),
    ),
    Axis("repealed", "本年废止件数", phrases=("废止", "废除", "宣布失效")),
    Axis("in_force", "现行有效件数", phrases=("现行有效", "有效", "现行")),
    Axis("decisions", "本年处理决定数量", aliases=("处理决定数量",), phrases=("处理决定", "决定", "作出")),
    Axis("amount", "本年收费金额（单位：万元）", aliases=("本年收费金额",), phrases=("收费金额", "收费")),
)

T2_LAYOUT: dict[str, tuple[str, ...]] = {
    "rules": ("issued", "repealed", "in_force"),
    "normative": ("issued", "repealed", "in_force"),
    "license": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}

# The header of the item column, printed above 规章, 行政许可… in each block of table 2.
T2_ITEM_HEADER = "信息内容"

# --------------------------------------------------------------------------------------------
# Table 3 — 收到和处理政府信息公开申请情况

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT_HEADER = "申请人情况"
T3_ORG_GROUP = Axis("org", "法人或其他组织", phrases=("法人", "单位", "法人单位", "组织", "机构"))

T3_COLUMNS: tuple[Axis, ...] = (
    Axis(
        "natural",
        "自然人",
        phrases=("自然人", "个人", "群众", "市民", "公民", "居民", "村民", "老百姓", "百姓", "申请人个人"),
    ),
    Axis(
        "commercial",
        "商业企业",
        group="org",
        phrases=("商业企业", "企业", "公司", "商户", "厂"),
    ),
    Axis(
        "research",
        "科研机构",
        group="org",
        phrases=("科研机构", "科研单位", "高校", "大学", "学院", "研究所", "研究院", "研究机构", "科研院所"),
    ),
    Axis(
        "social",
        "社会公益组织",
        group="org",
        phrases=("社会公益组织", "公益组织", "社会组织", "协会", "基金会", "志愿者组织", "环保组织"),
    ),
    Axis(
        "legal",
        "法律服务机构",
        group="org",
        phrases=("法律服务机构", "律师事务所", "律所", "律师", "法律服务所", "公证处"),
    ),
    Axis("other", "其他", group="org", aliases=("其他组织",), phrases=("其他组织", "其他单位", "村委会", "居委会")),
    Axis("total", "总计", aliases=("合计",), phrases=("总计", "合计", "一共", "共计", "总共")),
)

T3_APPLICANT_COLUMNS: tuple[str, ...] = tuple(c.id for c in T3_COLUMNS if c.id != "total")

T3_GROUPS: tuple[Axis, ...] = (
    Axis("results", "本年度办理结果", number="三、"),
    Axis("denied", "不予公开", number="（三）", group="results", phrases=("不公开", "不予以公开", "不能公开")),
    Axis("unavailable", "无法提供", number="（四）", group="results", phrases=("提供不了", "无法提供信息")),
    Axis("refused", "不予处理", number="（五）", group="results", phrases=("不处理", "不作处理")),
    Axis("other", "其他处理", number="（六）", group="results"),
)

T3_ROWS: tuple[Axis, ...] = (
    Axis(
        "new",
        "本年新收政府信息公开申请数量",
        number="一、",
        phrases=("新收", "收到", "受理", "接到", "新受理", "申请了", "提出申请", "提交申请", "来申请"),
    ),
    Axis(
        "carried_over",
        "上年结转政府信息公开申请数量",
        number="二、",
        phrases=("上年结转", "去年结转", "上年度结转", "从上年结转", "上一年结转", "上年转来", "去年转过来"),
    ),
    Axis(
        "granted",
        "予以公开",
        number="（一）",
        group="results",
        phrases=(
            "予以公开",
            "全部公开",
            "同意公开",
            "全部予以公开",
            "依申请公开了",
            "给予公开",
            "公开",
            "公开了",
            "已公开",
            "予公开",
        ),
    ),
    Axis(
        "partial",
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        number="（二）",
        group="results",
        aliases=("部分公开",),
        phrases=("部分公开", "部分予以公开", "区分处理"),
    ),
    Axis(
        "denied.state_secret",
        "属于国家秘密",
        number="1.",
        group="denied",
        phrases=("国家秘密", "涉密", "涉及国家秘密", "保密"),
    ),
    Axis(
        "denied.law_prohibited",
        "其他法律行政法规禁止公开",
        number="2.",
        group="denied",
        aliases=("其他法律行政止公开", "其他法律行政法规禁止", "法律行政法规禁止公开"),
        phrases=("法律行政法规禁止", "法律法规禁止", "法规禁止公开", "法律禁止公开"),
    ),
    Axis(
        "denied.security",
        "危及“三安全一稳定”",
        number="3.",
        group="denied",
        aliases=("危及三安全一稳定",),
        phrases=("三安全一稳定", "危及国家安全", "危及公共安全", "危及经济安全", "危及社会稳定", "社会稳定"),
    ),
    Axis(
        "denied.third_party",
        "保护第三方合法权益",
        number="4.",
        group="denied",
        phrases=("第三方合法权益", "第三方权益", "第三方", "商业秘密", "个人隐私"),
    ),
    Axis(
        "denied.internal",
        "属于三类内部事务信息",
        number="5.",
        group="denied",
        phrases=("内部事务", "三类内部事务", "内部管理信息", "人事管理", "后勤管理", "内部工作流程"),
    ),
    Axis(
        "denied.process",
        "属于四类过程性信息",
        number="6.",
        group="denied",
        phrases=("过程性信息", "四类过程性", "讨论记录", "过程稿", "磋商信函", "请示报告"),
    ),
    Axis(
        "denied.enforcement",
        "属于行政执法案卷",
        number="7.",
        group="denied",
        phrases=("行政执法案卷", "执法案卷"),
    ),
    Axis(
        "denied.query",
        "属于行政查询事项",
        number="8.",
        group="denied",
        phrases=("行政查询事项", "查询事项", "行政查询"),
    ),
    Axis(
        "unavailable.not_held",
        "本机关不掌握相关政府信息",
        number="1.",
        group="unavailable",
        phrases=("本机关不掌握", "不掌握", "信息不存在", "没有该信息", "未掌握", "不由本机关掌握"),
    ),
    Axis(
        "unavailable.needs_creation",
        "没有现成信息需要另行制作",
        number="2.",
        group="unavailable",
        phrases=("另行制作", "没有现成信息", "需要制作", "需要另行制作", "加工分析", "汇总加工"),
    ),
    Axis(
        "unavailable.unclear",
        "补正后申请内容仍不明确",
        number="3.",
        group="unavailable",
        phrases=(
            "补正后申请内容仍不明确",
            "补正后仍不明确",
            "补正后仍然不明确",
            "内容仍不明确",
            "内容不明确",
            "仍不明确",
            "还是不明确",
            "不明确",
        ),
    ),
    Axis(
        "refused.petition",
        "信访举报投诉类申请",
        number="1.",
        group="refused",
        phrases=("信访举报投诉", "信访", "举报", "投诉"),
    ),
    Axis(
        "refused.duplicate",
        "重复申请",
        number="2.",
        group="refused",
        phrases=("重复申请", "重复提交", "重复提出"),
    ),
    Axis(
        "refused.publication",
        "要求提供公开出版物",
        number="3.",
        group="refused",
        phrases=("公开出版物", "出版物"),
    ),
    Axis(
        "refused.excessive",
        "无正当理由大量反复申请",
        number="4.",
        group="refused",
        phrases=("大量反复申请", "大量反复", "反复申请"),
    ),
    Axis(
        "refused.confirmation",
        "要求行政机关确认或重新出具已获取信息",
        number="5.",
        group="refused",
        phrases=("确认或重新出具", "重新出具", "要求确认", "已获取信息"),
    ),
    Axis(
        "other.no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        number="1.",
        group="other",
        phrases=("逾期不补正", "不补正", "未补正", "没有补正", "没补正"),
    ),
    Axis(
        "other.unpaid_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        number="2.",
        group="other",
        phrases=("未按收费通知", "逾期未缴费", "未缴纳费用", "没有缴费", "没交费", "未缴费", "未缴纳"),
    ),
    Axis(
        "other.other",
        "其他",
        number="3.",
        group="other",
        phrases=("撤回", "撤回申请", "主动撤回", "其他处理", "其他方式处理"),
    ),
    Axis(
        "processed_total",
        "总计",
        number="（七）",
        group="results",
        aliases=("合计",),
        phrases=("办结", "办理完毕", "已办结", "答复完毕", "共办理", "办理完成", "答复了", "已答复"),
    ),
    Axis(
        "carried_forward",
        "结转下年度继续办理",
        number="四、",
        phrases=(
            "结转下年度",
            "结转下年",
            "转到下年",
            "结转到明年",
            "尚未办结",
            "还没办完",
            "未办结",
            "顺延",
            "没办完",
            "转到明年",
            "明年继续办",
            "跨年办理",
        ),
    ),
)

T3_RESULT_ROWS: tuple[str, ...] = tuple(r.id for r in T3_ROWS if r.group is not None and r.id != "processed_total")

# --------------------------------------------------------------------------------------------
# Table 4 — 政府信息公开行政复议、行政诉讼情况

T4_LITIGATION = Axis("litigation", "行政诉讼", phrases=("行政诉讼", "起诉", "诉讼", "官司"))

T4_GROUPS: tuple[Axis, ...] = (
    Axis("review", "行政复议", phrases=("行政复议", "复议")),
    Axis(
        "suit_direct",
        "未经复议直接起诉",
        group="litigation",
        phrases=("未经复议直接起诉", "直接起诉", "直接向法院起诉", "没经过复议"),
    ),
    Axis(
        "suit_after_review",
        "复议后起诉",
        group="litigation",
        phrases=("复议后起诉", "复议后又起诉", "经复议后起诉", "复议之后起诉"),
    ),
)

T4_COLUMNS: tuple[Axis, ...] = (
    Axis("upheld", "结果维持", phrases=("结果维持", "维持", "驳回诉讼请求", "驳回了诉讼请求", "驳回")),
    Axis("corrected", "结果纠正", phrases=("结果纠正", "纠正", "撤销", "确认违法", "责令履行")),
    Axis("other", "其他结果", phrases=("其他结果", "调解", "撤诉", "终止")),
    Axis("pending", "尚未审结", phrases=("尚未审结", "还没审结", "未审结", "没审结", "在审", "还在审理", "审理中")),
    Axis("total", "总计", aliases=("合计",), phrases=("总计", "合计", "一共", "共计")),
)

T4_OUTCOMES: tuple[str, ...] = ("upheld", "corrected", "other", "pending")

# --------------------------------------------------------------------------------------------
# Fee cells of section 六 (信息处理费, in 元)

FEE_CELLS: tuple[tuple[str, str, Kind, tuple[str, ...]], ...] = (
    ("s6.fee.notices", "发出收费通知的件数", Kind.COUNT, ("收费通知", "发出收费通知", "缴费通知")),
    ("s6.fee.notice_amount", "收费通知金额（元）", Kind.YUAN, ("通知金额", "收费通知金额", "通知缴纳")),
    (
        "s6.fee.collected",
        "实际收取的总金额（元）",
        Kind.YUAN,
        (
            "实际收取",
            "实收",
            "收取信息处理费",
            "实际收到",
            "信息处理费",
            "处理费",
            "收取",
            "实际缴纳",
            "实际交",
            "实交",
        ),
    ),
)

# --------------------------------------------------------------------------------------------
# Sections and metadata (the non-numeric keys of the flat cell map)

SECTIONS: tuple[Field, ...] = (
    Field("preface", "前言", "text"),
    Field("s1", "总体情况", "sections", number="一、"),
    Field("s2", "主动公开政府信息情况", "text", number="二、"),
    Field("s3", "收到和处理政府信息公开申请情况", "text", number="三、", aliases=("收到和处理政府信息公开申请",)),
    Field(
        "s4",
        "政府信息公开行政复议、行政诉讼情况",
        "text",
        number="四、",
        aliases=("政府信息公开行政复议行政诉讼情况", "行政复议、行政诉讼情况"),
    ),
    Field(
        "s5",
        "存在的主要问题及改进情况",
        "text",
        number="五、",
        aliases=("存在的主要问题及改进措施", "存在的主要问题和改进情况"),
    ),
    Field("s6", "其他需要报告的事项", "text", number="六、", aliases=("其他需要报告事项",)),
)

META_FIELDS: tuple[Field, ...] = (
    Field("meta.agency", "机关名称", "text"),
    Field("meta.year", "报告年度", "year"),
    Field("meta.title", "报告标题", "text"),
    Field("meta.contact.office", "联系部门", "text"),
    Field("meta.contact.address", "地址", "text"),
    Field("meta.contact.postcode", "邮政编码", "text"),
    Field("meta.contact.phone", "联系电话", "text"),
    Field("meta.contact.email", "电子邮箱", "text"),
)

# What the clerk said that belongs in a section's text, not in a cell ("主动公开信息320条",
# "基层公开人员业务不熟"): kept with the draft, in the clerk's words, for drafting and the narrative checks.
MATERIAL_SECTIONS: tuple[str, ...] = ("s1", "s2", "s4", "s5", "s6")
MATERIAL_FIELDS: tuple[Field, ...] = tuple(
    Field(f"material.{f.id}", f"{f.number}{f.label}（素材）", "material") for f in SECTIONS if f.id in MATERIAL_SECTIONS
)

S1_TOPICS: tuple[Topic, ...] = (
    Topic("proactive", "主动公开", ("主动公开",)),
    Topic("on_request", "依申请公开", ("依申请公开", "依申请")),
    Topic("management", "政府信息管理", ("政府信息管理", "信息管理", "管理政府信息", "信息发布审核", "审查")),
    Topic("platform", "平台建设", ("平台建设", "公开平台", "门户网站", "政务新媒体", "平台")),
    Topic("oversight", "监督保障", ("监督保障", "监督", "考核", "培训")),
)


# --------------------------------------------------------------------------------------------
# The registry itself, built once from the tables above


def _axis_index(axes: tuple[Axis, ...]) -> dict[str, Axis]:
    return {a.id: a for a in axes}


T2_ITEM = _axis_index(T2_ITEMS)
T2_COLUMN = _axis_index(T2_COLUMNS)
T3_ROW = _axis_index(T3_ROWS)
T3_COLUMN = _axis_index(T3_COLUMNS)
T3_GROUP = _axis_index(T3_GROUPS)
T4_GROUP = _axis_index(T4_GROUPS)
T4_COLUMN = _axis_index(T4_COLUMNS)
SECTION = {f.id: f for f in SECTIONS}
META = {f.id: f for f in META_FIELDS}
MATERIAL = {f.id: f for f in MATERIAL_FIELDS}


def t3_row_label(row_id: str, *, with_group: bool = True) -> str:
    """A clerk-readable label of a table-3 row, e.g. "不予公开·属于国家秘密"."""
    row = T3_ROW[row_id]
    label = "部分公开" if row_id == "partial" else row.label
    if row_id == "processed_total":
        return "办理结果总计"
    if with_group and row.group and row.group != "results":
        return f"{T3_GROUP[row.group].label}·{label}"
    return label


def _build_cells() -> dict[str, Cell]:
    cells: dict[str, Cell] = {}

    for item_id, column_ids in T2_LAYOUT.items():
        for col_id in column_ids:
            cid = f"t2.{item_id}.{col_id}"
            kind = Kind.WAN_YUAN if col_id == "amount" else Kind.COUNT
            label = f"{T2_ITEM[item_id].label}·{T2_COLUMN[col_id].label}"
            cells[cid] = Cell(cid, "t2", item_id, col_id, kind, label)

    for row in T3_ROWS:
        for col in T3_COLUMNS:
            cid = f"t3.{row.id}.{col.id}"
            label = f"{t3_row_label(row.id)}·{col.label}"
            parts: tuple[str, ...] = ()
            if col.id == "total":
                parts = tuple(f"t3.{row.id}.{c}" for c in T3_APPLICANT_COLUMNS)
            elif row.id == "processed_total":
                parts = tuple(f"t3.{r}.{col.id}" for r in T3_RESULT_ROWS)
            cells[cid] = Cell(cid, "t3", row.id, col.id, Kind.COUNT, label, parts)

    for group in T4_GROUPS:
        for col in T4_COLUMNS:
            cid = f"t4.{group.id}.{col.id}"
            prefix = group.label if group.group is None else f"行政诉讼·{group.label}"
            parts = tuple(f"t4.{group.id}.{c}" for c in T4_OUTCOMES) if col.id == "total" else ()
            cells[cid] = Cell(cid, "t4", group.id, col.id, Kind.COUNT, f"{prefix}·{col.label}", parts)

    for cid, label, kind, _phrases in FEE_CELLS:
        cells[cid] = Cell(cid, "s6", "fee", cid.rsplit(".", 1)[1], kind, f"信息处理费·{label}")
    return cells


CELLS: Mapping[str, Cell] = _build_cells()
FIELDS: Mapping[str, Field] = {**META, **SECTION, **MATERIAL}
FLAT_KEYS: tuple[str, ...] = tuple(FIELDS) + tuple(CELLS)


def cell(cell_id: str) -> Cell:
    """The registry entry of a cell id; KeyError names the id."""
    return CELLS[cell_id]


def label_of(key: str) -> str:
    """Clerk-readable label of any flat key (cell, metadata field or section)."""
    if key in CELLS:
        return CELLS[key].label
    if key in FIELDS:
        f = FIELDS[key]
        return f"{f.number}{f.label}" if f.number and f.kind != "material" else f.label
    return key


def cells_of(table: str) -> Iterator[Cell]:
    return (c for c in CELLS.values() if c.table == table)


def totals() -> Iterator[Cell]:
    """Every total cell, in an order where a total's parts are filled before it is."""
    ordered = [c for c in CELLS.values() if c.is_total]
    # processed_total's applicant columns sum result rows; its total column sums those.
    return iter(sorted(ordered, key=lambda c: (c.id == "t3.processed_total.total", c.column == "total")))
