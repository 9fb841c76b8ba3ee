"""Clerks' plain words for the report's cells: the table beside the registry.

``assistant.cells`` keeps each cell's official label, the aliases found in published documents and
the near-synonyms of the label ("律所" for 法律服务机构). This module keeps what a part-time clerk
says instead, in her own words: "查不到" for 本机关不掌握, "来投诉的" for 信访举报投诉类申请,
"业委会" for 其他组织, "我们败诉了" for 结果纠正. Each entry maps a plain phrase to a registry id
of one dimension (a table-3 row or result group, an applicant column, a table-4 group or outcome).
The chat's lexicon reads both; the longest phrase wins, so "没公开" (不予公开) is never read as the
negation "没" followed by 公开.

It also says where a statement without a cell belongs: the sections whose material it feeds.
"""

from __future__ import annotations

from collections.abc import Mapping

# Table 3 rows (ids of ``cells.T3_ROWS``).
T3_ROWS: Mapping[str, tuple[str, ...]] = {
    "new": (
        "依申请的", "新收的", "今年新收", "今年的", "本年的", "本年度的", "今年度的",
    ),
    "carried_over": (
        "加上结转的", "连同结转的", "和结转的", "结转过来的", "结转来的", "去年遗留的", "上年遗留",
    ),
    "processed_total": (
        "一共办了", "共办了", "办完了", "都办完", "办完", "全办完", "处理完",
    ),
    "carried_forward": (
        "结转到明年", "转到下一年", "留到明年", "明年再办", "年底没办完", "还没答复完",
    ),
    "denied.state_secret": (
        "涉及国家秘密", "国家机密", "机密",
    ),
    "denied.law_prohibited": (
        "法律法规不允许公开", "法规不允许公开", "法律不允许公开", "法律法规不让公开",
    ),
    "denied.security": (
        "影响社会稳定", "影响稳定", "危害国家安全", "危害公共安全",
    ),
    "denied.third_party": (
        "企业的商业秘密", "企业商业秘密", "别人隐私", "他人隐私", "别人的隐私", "个人信息保护", "隐私",
        "别人的信息", "他人个人信息", "别人的个人信息", "他人的个人信息", "涉及个人信息", "个人信息",
    ),
    "denied.internal": (
        "内部管理", "内部事务信息", "人事信息", "内部文件",
    ),
    "denied.process": (
        "讨论稿", "征求意见稿", "会议纪要", "内部讨论", "草稿", "研究过程",
    ),
    "denied.enforcement": (
        "执法卷宗", "案卷材料", "卷宗",
    ),
    "denied.query": (
        "查询类", "查档", "查询记录",
    ),
    "unavailable.not_held": (
        "查不到", "没有这个信息", "没有这项信息", "没这个信息", "没有这些信息", "不归我们管", "不归本机关",
        "不是我们管", "不是我们的职责", "找错了部门", "找错部门", "没有相关信息", "不存在该信息",
        "我们没有这个", "我们不掌握", "没有掌握", "根本没有这", "单位根本没有", "我们根本没有", "根本就没有",
        "手里没有", "手上没有", "没有这方面的", "没有保存", "未保存", "没有留存", "没有制作过", "别的部门",
        "其他部门掌握", "属于其他部门", "其他机关掌握", "不在我们这",
    ),
    "unavailable.needs_creation": (
        "重新统计", "统计加工", "重新加工", "没有现成的", "没有现成", "汇总成表", "重新整理", "重新汇总",
        "加工整理",
    ),
    "unavailable.unclear": (
        "说不清楚", "太模糊", "内容模糊", "表述不清", "描述不清", "讲不清楚", "要什么不清楚", "还是不知道",
        "不知道他要什么", "不知道要什么", "不清楚要什么", "说不明白", "看不明白要什么",
    ),
    "refused.petition": (
        "反映问题", "来投诉", "举报村干部", "反映情况", "信访件",
    ),
    "refused.duplicate": (
        "同样的事", "同样的问题", "同样的内容", "同一事项", "同一内容", "同一个事", "重复提交的", "重复的",
    ),
    "refused.publication": (
        "年鉴", "统计公报", "出版的", "公开发行", "公开出版", "已公开出版", "已出版", "购买渠道", "书店",
        "出版发行", "公开发行的",
    ),
    "refused.excessive": (
        "反复大量申请", "大量申请", "几十次",
    ),
    "refused.confirmation": (
        "盖章确认", "重新盖章", "已经拿到", "确认真伪", "重新出具", "是真的", "是不是真的", "真伪", "真假",
        "证明他", "证明这份", "证明文件",
    ),
    "other.no_correction": (
        "没回音", "没有回音", "没回复", "没有回复", "不再补正", "补正后没", "让补正没补",
    ),
    "other.unpaid_fee": (
        "没交钱", "不交钱", "没缴费", "没有交费", "没有缴费", "不缴费", "没付费", "没交费用",
    ),
    "other.other": (
        "自己撤回", "撤回了", "主动撤销申请", "撤销申请",
    ),
}

# Table 3 result groups (ids of ``cells.T3_GROUPS``): a result whose reason is still to be said.
T3_GROUPS: Mapping[str, tuple[str, ...]] = {
    "denied": (
        "没给公开", "没有给公开", "没让公开", "未给公开",
        "没公开", "没有公开", "未公开", "没给", "没有给", "不能给", "不给", "不给公开", "不让公开",
        "不能公开给", "未予公开",
    ),
    "unavailable": (
        "提供不了", "给不了", "没法提供", "没办法提供",
    ),
    "refused": (
        "不予受理", "不受理", "没受理",
    ),
}

# Table 3 applicant columns (ids of ``cells.T3_COLUMNS``).
APPLICANTS: Mapping[str, tuple[str, ...]] = {
    "natural": (
        "老乡", "农户", "居民个人", "当事人个人", "群众个人", "公民个人", "以个人名义", "大学生", "学生",
        "研究生", "退休职工", "网民",
    ),
    "commercial": (
        "厂子", "工厂", "企业单位", "有限公司", "商家", "开发商", "物业公司",
    ),
    "research": (
        "研究中心", "科研院", "大学老师", "高等院校", "院校", "社科院", "科学院", "农科院", "研究室", "实验室",
        "智库",
    ),
    "social": (
        "环保协会", "行业协会", "商会", "慈善机构", "公益机构", "志愿者协会", "红十字会", "慈善会", "慈善总会",
        "民办非企业", "社会团体", "社团",
    ),
    "legal": (
        "代理律师", "律师所",
    ),
    "other": (
        "业委会", "业主委员会", "村委", "居委", "村民委员会", "居民委员会", "社区居委会", "事业单位",
    ),
}

# Table 4 groups and outcomes (ids of ``cells.T4_GROUPS`` / ``cells.T4_COLUMNS``).
T4_GROUPS: Mapping[str, tuple[str, ...]] = {
    "review": (
        "申请复议", "复议机关", "被复议",
    ),
    "suit_direct": (
        "直接到法院起诉", "直接去法院", "直接告到法院", "直接起诉的", "直接向法院",
    ),
    "suit_after_review": (
        "复议后又到法院起诉", "复议后又起诉", "复议完又起诉", "复议后又告", "复议后向法院起诉", "经复议后起诉",
        "复议以后起诉",
    ),
}
LITIGATION: tuple[str, ...] = (
    "告我们", "把我们告了", "告到法院", "到法院起诉", "法院起诉", "打官司", "被起诉", "诉讼案件", "告上法庭",
    "上法庭", "起诉我们", "打了官司", "应诉",
)
T4_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "upheld": (
        "维持原决定", "维持原答复", "驳回起诉", "驳回复议申请", "驳回申请", "我们胜诉", "胜诉", "判我们赢",
        "我们赢了", "赢了",
    ),
    "corrected": (
        "责令重新答复", "责令我们重新答复", "要求我们重新答复", "重新答复", "重新作出答复", "责令重作",
        "责令重新作出", "责令改正", "败诉", "撤销我们的答复", "撤销答复", "确认违法", "被纠正", "答复违法",
        "确认我们违法", "被确认违法", "程序违法", "判我们输", "我们输了", "输了",
    ),
    "other": (
        "复议终止", "终止审理", "撤诉", "和解", "调解结案",
    ),
    "pending": (
        "还没结果", "没结果", "没有结果", "未有结果", "还没判", "没判", "还没出结果", "没出结果", "未出结果",
        "还在审", "在审", "还没结案", "尚未结案", "在审理", "审理中", "还在审理",
    ),
}

# Where a statement without a cell goes: words that tie it to a section of the text (the
# material of 一、总体情况, of 二's narrative, of 五 and of 六).
MATERIAL: Mapping[str, tuple[str, ...]] = {
    "s5": (
        "存在问题", "存在的问题", "主要问题", "问题是", "问题有", "不足", "不熟", "不及时", "不够", "有待",
        "薄弱", "滞后", "不规范", "不到位", "不高", "欠缺", "短板", "下一步", "今后", "将进一步", "还需",
        "需要加强", "要加强", "整改",
    ),
    "s6": (
        "人大代表建议", "人大建议", "政协提案", "政协委员提案", "建议提案", "议案", "提案办理",
    ),
    "s2": (
        "事项清单", "许可事项", "权责清单", "责任清单", "规范性文件清理", "清理规范性文件", "清理了",
    ),
    "s1": (
        "主动公开", "政务新媒体", "新媒体", "门户网站", "网站", "公开专栏", "专栏", "公众号", "微信", "微博",
        "发布", "培训", "公开指南", "解读", "新闻发布", "发布会", "回应", "信息", "平台", "考核", "政务公开",
        "公开目录", "更新", "访问量", "浏览量",
    ),
}
# Words that say "put this there" rather than what happened ("这个写到问题里").
MATERIAL_ROUTES: Mapping[str, tuple[str, ...]] = {
    "s5": (
        "问题", "不足", "第五部分", "五、",
    ),
    "s6": (
        "其他需要报告", "第六部分", "六、",
    ),
    "s2": (
        "主动公开情况", "第二部分", "二、",
    ),
    "s1": (
        "总体情况", "第一部分", "一、",
    ),
}
