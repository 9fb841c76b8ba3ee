"""What the national template's rows and columns mean, as data keyed by registry ids.

Written from the 2021 template (国办公开办函〔2021〕30号) and the 《政府信息公开条例》 articles it
cites; labels themselves come from ``assistant.cells``. The chat's help answers from here.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant import cells as reg

_ROW = {r.id: f"{r.number}{r.label}" for r in reg.T3_ROWS}
_ITEM = {i.id: i.label for i in reg.T2_ITEMS}
_COLUMN = {c.id: c.label for c in reg.T2_COLUMNS}


def _section(section: str) -> str:
    return reg.label_of(section)


TABLES: Mapping[str, str] = {
    "t2": (
        f"表二（{reg.SECTION['s2'].label}）按《条例》第二十条分项填写：{_ITEM['rules']}和{_ITEM['normative']}填"
        f"{_COLUMN['issued']}、{_COLUMN['repealed']}、{_COLUMN['in_force']}；{_ITEM['license']}、{_ITEM['penalty']}、"
        f"{_ITEM['coercion']}填{_COLUMN['decisions']}；{_ITEM['fees']}填{_COLUMN['amount']}。"
    ),
    "t3": (
        f"表三（{reg.SECTION['s3'].label}）按申请人分列：自然人；法人或其他组织（商业企业、科研机构、社会公益组织、"
        f"法律服务机构、其他）；总计。逐行填写：{_ROW['new']}；{_ROW['carried_over']}；"
        "三、本年度办理结果——（一）予以公开、（二）部分公开、（三）不予公开（8种理由）、（四）无法提供（3种）、"
        f"（五）不予处理（5种）、（六）其他处理（3种）、（七）总计；{_ROW['carried_forward']}。"
        "每一列都要满足：本年新收＋上年结转＝办理结果总计＋结转下年度。"
    ),
    "t4": (
        f"表四（{reg.SECTION['s4'].label}）分三组：行政复议；行政诉讼·未经复议直接起诉；行政诉讼·复议后起诉。"
        "每组填结果维持、结果纠正、其他结果、尚未审结各几件，以及总计（四项之和）。"
    ),
}

# Table-3 rows (``cells.T3_ROWS`` ids).
T3_ROWS: Mapping[str, str] = {
    "new": "本年1月1日至12月31日新收到的政府信息公开申请件数，按申请人类型分列。",
    "carried_over": (
        f"上一年度收到、到上年12月31日尚未办结、转入本年继续办理的申请；应与上年报告的“{reg.T3_ROW['carried_forward'].label}”"
        "相等。"
    ),
    "granted": "申请公开的信息全部予以公开的件数。",
    "partial": "申请的信息一部分公开、另一部分不予公开或无法提供，经区分处理的，只计入“部分公开”，不再计入其他情形。",
    "denied.state_secret": "申请的信息属于国家秘密，依法不予公开。",
    "denied.law_prohibited": "法律、行政法规禁止公开的信息（国家秘密以外的其他法定禁止情形）。",
    "denied.security": "公开后可能危及国家安全、公共安全、经济安全、社会稳定（“三安全一稳定”）的信息。",
    "denied.third_party": (
        "涉及商业秘密、个人隐私等，公开会损害第三方合法权益的信息（第三方同意或公共利益需要的除外）。"
    ),
    "denied.internal": "人事管理、后勤管理、内部工作流程等三类内部事务信息。",
    "denied.process": "讨论记录、过程稿、磋商信函、请示报告等四类过程性信息。",
    "denied.enforcement": "行政执法案卷信息。",
    "denied.query": "实为查询、应通过查询渠道办理的申请（如查询个人的登记、缴费记录等）。",
    "unavailable.not_held": "经检索本机关没有该信息，或信息不由本机关掌握（告知申请人向掌握该信息的机关申请）。",
    "unavailable.needs_creation": "没有现成的信息，需要本机关对现有信息重新统计、汇总、加工或另行制作的。",
    "unavailable.unclear": "告知申请人补正后，申请内容仍不明确、无法确定所需信息的。",
    "refused.petition": (
        "以申请政府信息公开的名义提出信访、举报、投诉等诉求的，按相应渠道处理，不作为信息公开申请办理。"
    ),
    "refused.duplicate": "申请人重复申请公开本机关已经答复过的同一信息。",
    "refused.publication": "要求提供年鉴、公报、统计资料等公开出版物的，告知获取途径。",
    "refused.excessive": "申请人无正当理由大量、反复申请，明显超过合理范围的。",
    "refused.confirmation": "要求行政机关确认或者重新出具申请人已经获取的信息的。",
    "other.no_correction": "通知补正后，申请人无正当理由逾期不补正，行政机关不再处理其申请。",
    "other.unpaid_fee": "发出收费通知后，申请人逾期未按要求缴纳信息处理费，行政机关不再处理其申请。",
    "other.other": "不属于以上情形的其他处理结果，例如申请人主动撤回申请。",
    "processed_total": "本年办结的申请件数，等于（一）至（六）各项之和。",
    "carried_forward": (
        "本年收到或上年结转的申请中，到本年12月31日尚未办结、转到下一年度继续办理的件数；"
        "下一年报告的“上年结转”应与它相等。"
    ),
}

# Table-3 result groups and the applicant columns.
T3_GROUPS: Mapping[str, str] = {
    "denied": "依法不能公开的申请，按理由填写，一件只计一种理由。",
    "unavailable": "本机关无法提供所申请信息的申请。",
    "refused": "不作为政府信息公开申请处理的申请。",
    "other": "因申请人的原因不再处理的申请，以及其他处理方式。",
}
T3_COLUMNS: Mapping[str, str] = {
    "natural": "以个人名义提出申请的公民（群众、村民、居民等）。",
    "commercial": "以企业、公司等商业主体名义提出的申请。",
    "research": "高等院校、科研院所等科研机构提出的申请。",
    "social": "协会、基金会等社会公益组织提出的申请。",
    "legal": "律师事务所等法律服务机构提出的申请（律师代理申请人的，按委托情况计入）。",
    "other": "不属于以上四类的其他法人或组织（如村委会、居委会、业委会）。",
    "org": "法人或其他组织分五列：商业企业、科研机构、社会公益组织、法律服务机构、其他。",
    "total": "各类申请人之和。",
}

# Table 4.
T4_GROUPS: Mapping[str, str] = {
    "review": "因政府信息公开工作被申请行政复议的案件。",
    "suit_direct": "申请人未经复议、直接向法院提起行政诉讼的案件。",
    "suit_after_review": "经行政复议后，申请人又向法院提起行政诉讼的案件。",
    "litigation": "行政诉讼分“未经复议直接起诉”和“复议后起诉”两组分别填写。",
}
T4_COLUMNS: Mapping[str, str] = {
    "upheld": "复议机关或法院维持原答复、驳回复议申请或诉讼请求的。",
    "corrected": "原答复被撤销、确认违法、责令重新答复（重作）或责令履行的。",
    "other": "申请人撤回、复议终止、调解、和解等其他结果。",
    "pending": "到本年12月31日尚未审结的案件。",
    "total": "结果维持、结果纠正、其他结果、尚未审结四项之和。",
}

# Table 2.
T2_ITEMS: Mapping[str, str] = {
    "rules": "规章：只有国务院部门、省级政府和设区的市级政府可以制定；街道、乡镇等基层单位一般填0。",
    "normative": "行政规范性文件：本机关制发的、对外具有普遍约束力的规范性文件。",
    "license": "行政许可：本年作出的行政许可处理决定数量。",
    "penalty": "行政处罚：本年作出的行政处罚决定数量。",
    "coercion": "行政强制：本年作出的行政强制决定数量。",
    "fees": "行政事业性收费：本年收费金额，单位万元（与第六部分的信息处理费不是一回事）。",
}
T2_COLUMNS: Mapping[str, str] = {
    "issued": "本年新制定印发的件数。",
    "repealed": "本年宣布废止的件数。",
    "in_force": "截至年底现行有效的件数（上年现行有效＋本年制发－本年废止）。",
    "decisions": "本年作出的处理决定数量。",
    "amount": "本年收费金额，单位万元。",
}

# The 信息处理费 of section 六 and the sections themselves.
FEES: str = (
    f"信息处理费写在“{_section('s6')}”：说明本年发出收费通知的件数和金额，以及实际收取的总金额（单位：元）。"
    "没有收费的，也要写明未收取信息处理费。"
)
SECTIONS: Mapping[str, str] = {
    "s1": f"{_section('s1')}：主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面的工作情况。",
    "s5": f"{_section('s5')}：先说上年问题的整改情况，再说本年存在的问题和下一步改进措施，不能照抄上年。",
    "s6": f"{_section('s6')}：说明信息处理费的收取情况，以及本机关认为需要报告的其他情况。",
}
BALANCE: str = (
    "表三的勾稽关系：每一列都要满足“第一项加第二项之和，等于第三项加第四项之和”，即本年新收＋上年结转＝"
    "办理结果总计＋结转下年度；办理结果总计＝（一）至（六）各项之和；每一行的总计＝各类申请人之和。"
)
ASSISTANT: str = (
    "可以直接用平常的话告诉我今年的情况，例如“今年收到个人申请12件，予以公开8件，3件我们不掌握”"
    "“行政复议1件，维持”，我会找出对应的单元格并列出来，由您核对后应用；也可以问“表三怎么填”"
    "“不予处理包括哪些”“结转下年度是什么意思”。"
)
