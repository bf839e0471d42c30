"""coding.coder: candidates judged by where they stand — masks, proximity, scope, background, governing years."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from provincial_plans.coding.coder import Coder, DocumentContext
from provincial_plans.coding.ingest import normalise, structure
from provincial_plans.model.codebook import Code, Codebook, Near, Scope

FAMILIES = [{"id": family, "label": {"zh": family, "en": family}} for family in ("content", "prin", "goal2017", "mech")]


@dataclass(frozen=True)
class Line:
    """A sentence with its place in a document, as provincial_plans.coding.ingest records it."""

    id: str
    text: str
    section: str = ""
    headings: tuple[str, ...] = ()
    heading: bool = False
    paragraph: int = 0
    lead: str = ""
    masks: tuple[tuple[int, int, str], ...] = ()


def make(code_id: str, keywords=(), **extra) -> Code:
    return Code(code_id, code_id.split(".")[0], {"zh": code_id, "en": code_id}, keywords=tuple(keywords), **extra)


BACKGROUND = Scope(headings=("存在问题",), cues=("\\A近年来[^。]{0,30}已(?:建成|建立)",))


def coder(*codes: Code) -> Coder:
    return Coder(
        Codebook("2.0.0", FAMILIES, list(codes), {2017: ("今年", "本年度", "年底前"), 2020: ("十三五末",)}, BACKGROUND)
    )


def coded(coder: Coder, lines: list[Line], explain: bool = False) -> list[tuple[str, str, str]]:
    rows = coder.code([("unit", "doc", lines)], explain)
    return [(row["sentence_id"], row["code"], row["keyword"]) + ((row["reason"],) if explain else ()) for row in rows]


REENGINEERING = make("content.reengineering", ["流程再造"], near=(Near((("简化", "优化"), ("流程", "环节")), 6),))


def test_a_proximity_rule_finds_paraphrases_within_one_clause_and_gap():
    lines = [
        Line("s1", "进一步简化服务流程，方便群众办事。"),
        Line("s2", "优化政务服务办理环节。"),
        Line("s3", "简化手续，规范流程。"),  # the terms stand in two clauses
        Line("s4", "优化营商环境的各项改革举措和工作流程。"),  # more than 6 characters apart
    ]
    assert coded(coder(REENGINEERING), lines) == [
        ("s1", "content.reengineering", "简化服务流程"),
        ("s2", "content.reengineering", "优化政务服务办理环节"),
    ]


def test_a_proximity_hit_keeps_offsets_and_obeys_exclusions():
    excluded = make("content.reengineering", near=REENGINEERING.near, exclusions=("尚未",))
    lines = [Line("s1", "部分地区尚未简化办事流程。"), Line("s2", "要简化办事流程。")]
    rows = Coder(Codebook("2.0.0", FAMILIES, [excluded])).code([("unit", "doc", lines)])
    assert [row["sentence_id"] for row in rows] == ["s2"]
    assert all(row["sentence"][row["start"] : row["end"]] == row["keyword"] for row in rows)


def test_a_masked_keyword_never_counts_and_explain_says_why():
    platform = make("content.platform", ["政务服务平台"])
    title = "依据《关于建设政务服务平台的通知》执行。"
    start = title.index("《")
    lines = [Line("s1", title, masks=((start, title.index("》") + 1, "title"),)), Line("s2", "建设政务服务平台。")]
    assert coded(coder(platform), lines) == [("s2", "content.platform", "政务服务平台")]
    assert coded(coder(platform), lines, explain=True) == [
        ("s1", "content.platform", "政务服务平台", "masked: title"),
        ("s2", "content.platform", "政务服务平台", ""),
    ]


PLANNING = make("prin.planning", ["统筹规划"], scope=Scope(headings=("原则",), cues=("坚持",)))


def test_a_principle_counts_under_its_heading_or_with_its_cue_only():
    lines = [
        Line("h", "（二）基本原则", headings=("总体要求", "基本原则"), heading=True),
        Line("s1", "统筹规划，协同推进。", headings=("总体要求", "基本原则")),
        Line("s2", "省发展改革委负责统筹规划全省电子政务。", headings=("保障措施",)),
        Line("s3", "坚持统筹规划，避免重复建设。", headings=("保障措施",)),
    ]
    assert [row[0] for row in coded(coder(PLANNING), lines)] == ["s1", "s3"]


def test_without_any_heading_a_scope_falls_back_on_its_cues():
    lines = [Line("s1", "负责统筹规划全省工作。"), Line("s2", "坚持统筹规划的原则。")]
    assert [row[0] for row in coded(coder(PLANNING), lines)] == ["s2"]
    no_cues = make("prin.planning", ["统筹规划"], scope=Scope(headings=("原则",)))
    assert [row[0] for row in coded(coder(no_cues), lines)] == ["s1", "s2"]


def test_nothing_counts_in_a_background_section():
    platform = make("content.platform", ["政务服务平台"])
    lines = [
        Line("s1", "部分市县政务服务平台功能单一。", headings=("工作基础和存在问题",)),
        Line("s2", "完善政务服务平台。", headings=("主要任务",)),
        Line("s3", "近年来，全省已建成政务服务平台。", headings=("主要任务",)),
    ]
    assert [row[0] for row in coded(coder(platform), lines)] == ["s2"]
    assert [row[-1] for row in coded(coder(platform), lines, explain=True)] == [
        "background section",
        "",
        "background sentence",
    ]


GOAL = make("goal2017.platform", ["政务服务平台"], year=2017)


def test_a_year_at_the_head_of_a_paragraph_governs_its_later_clauses():
    lines = [
        Line("s1", "到2017年底，全省政务服务事项全部公开；", paragraph=3),
        Line("s2", "建成一体化网上政务服务平台；", paragraph=3),
        Line("s3", "到2020年，政务服务平台全面覆盖。", paragraph=3),
        Line("s4", "依托政务服务平台办理。", paragraph=4),
    ]
    assert [row[0] for row in coded(coder(GOAL), lines)] == ["s2"]


def test_a_line_broken_on_a_comma_runs_on_into_the_next_paragraph():
    lines = [
        Line("s1", "2017年底前，建成政务服务网，", paragraph=2),
        Line("s2", "政务服务平台覆盖全部县区。", paragraph=3),  # the sentence the line break cut
        Line("s3", "2018年底前，完善服务功能。", paragraph=4),
        Line("s4", "政务服务平台接入乡镇。", paragraph=5),  # the line before ends a sentence: no run-on
    ]
    assert [row[0] for row in coded(coder(GOAL), lines)] == ["s2"]


def test_a_sub_codes_stock_phrase_is_no_evidence_of_its_parent():
    parent = make("content.supporting_systems", ["制度规范"])
    child = make("content.supporting_systems.data_sharing", ["开放共享"], ignore=("开放共享的[^，。；]{0,12}平台",))
    lines = [Line("s1", "建成开放共享的政务服务平台。"), Line("s2", "推动数据开放共享。")]
    assert sorted(coded(coder(parent, child), lines)) == [
        ("s2", "content.supporting_systems", "开放共享"),
        ("s2", "content.supporting_systems.data_sharing", "开放共享"),
    ]


def test_a_lead_in_or_heading_year_governs_list_items():
    lines = [
        Line("lead", "今年重点完成以下目标：", paragraph=1),
        Line("i1", "1.建成政务服务平台。", paragraph=2, lead="lead"),
        Line("i2", "2.政务服务平台接入全部部门。", headings=("2017年工作目标",), paragraph=3),
        Line("i3", "3.政务服务平台延伸到村。", headings=("工作目标",), paragraph=4),
    ]
    assert [row[0] for row in coded(coder(GOAL), lines)] == ["i1", "i2"]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("到2017年底前完成", {2017}),
        ("201712月底前完成", {2017}),  # 年 lost in conversion
        ("2017—2020年分步实施", {2017, 2018, 2019, 2020}),
        ("依据国发〔2017〕12号文件", set()),  # a document number, not a year
        ("本年度内完成", {2017}),
        ("“十三五末”基本建成", {2020}),
        ("共20170户", set()),
        ("年底前完成", {2017}),  # a year word alone
        ("2018年底前完成", {2018}),  # not the year word inside a dated deadline
        ("2023年年底前完成", {2023}),  # nor after a year and its 年
    ],
)
def test_years_named_in_plan_text(text, years):
    assert DocumentContext([], {2017: ("今年", "本年度", "年底前"), 2020: ("十三五末",)}).years_named(text) == years


def test_a_masked_year_governs_nothing():
    text = "按照《2017年政务公开工作要点》，建设政务服务平台。"
    lines = [Line("s1", text, paragraph=1, masks=((text.index("《"), text.index("》") + 1, "title"),))]
    assert coded(coder(GOAL), lines) == []


def test_a_letter_spaced_notice_title_is_masked_and_cites_nothing():
    # synthetic notice: its title wraps onto a letter-spaced second line (实  施  方  案), as printed titles often are
    platform = make("content.platform", ["政务服务平台"])
    text = normalise("示例市加强政务服务平台建设\n实  施  方  案\n一、工作目标\n建设全市统一的政务服务平台。")
    sentences = structure(text, "t")
    body = next(s.id for s in sentences if s.text.startswith("建设"))
    assert [s.masks[0][2] if s.masks else "" for s in sentences[:2]] == ["title", "title"]
    assert coded(coder(platform), sentences) == [(body, "content.platform", "政务服务平台")]


# ---------------------------------------------------------------- rules of the shipped codebook, on synthetic text


def shipped(codebook: Codebook, text: str) -> set[tuple[str, str]]:
    """(sentence text, code) of every evidence row the shipped codebook gives a small synthetic document."""
    rows = Coder(codebook).code([("unit", "doc", structure(normalise(text), "doc"))])
    return {(row["sentence"], row["code"]) for row in rows}


def test_work_told_as_done_is_background_not_a_commitment(codebook):
    done = [
        "全市推行的“一窗受理”模式，方便了企业和群众办事。",
        "全省合计已完成政务服务事项目录录入3000项。",
        "加大改革力度……近年来，本省通过打造网上办事大厅，提升政务服务水平。",
    ]
    for sentence in done:
        assert shipped(codebook, sentence) == set(), sentence
    assert ("全面推行“一窗受理”模式，方便企业和群众办事。", "content.platform_integration.one_window") in shipped(
        codebook, "全面推行“一窗受理”模式，方便企业和群众办事。"
    )


def test_a_heading_that_only_names_an_assessment_scheme_cites_nothing_while_its_body_does(codebook):
    found = shipped(codebook, "三、考核分值及办法\n考核总分100分，按评分细则打分。")
    assert {code for sentence, code in found if sentence.startswith("三、")} == set()
    assert ("考核总分100分，按评分细则打分。", "task.assessment") in found


def test_a_principle_word_qualifying_a_noun_is_not_the_principle(codebook):
    text = (
        "（二）基本原则\n坚持便民高效。\n提供渠道多样、方便快捷的政务服务。\n"
        "坚持统筹规划、问题导向、协同发展、开放创新的原则。"
    )
    found = shipped(codebook, text)
    assert ("坚持便民高效。", "prin.convenience") in found
    assert not any(sentence.startswith("提供渠道多样") and code.startswith("prin.") for sentence, code in found)
    assert ("坚持统筹规划、问题导向、协同发展、开放创新的原则。", "prin.open_innovation") in found


def test_a_slogan_naming_an_organ_fund_or_hotline_is_not_the_measure(codebook):
    named = [
        "市政府成立深化“最多跑一次”改革工作领导小组，由市长任组长。",
        "开通“一次办好”服务热线，群众可随时查询办理进度。",
        "把各部门网上办事系统统一纳入“一网通办”总门户。",
    ]
    slogans = {"content.reengineering", "content.platform_integration.one_network"}
    for sentence in named:
        assert not {code for _, code in shipped(codebook, sentence)} & slogans, sentence
    slogan = "全面推行“一网通办”。"
    assert (slogan, "content.platform_integration.one_network") in shipped(codebook, slogan)


def test_supervision_throughout_is_not_handling_online(codebook):
    assert not any(code.endswith("one_network") for _, code in shipped(codebook, "对网上办件进行全程监督。"))
    assert ("推动审批事项全程网上办理。", "content.platform_integration.one_network") in shipped(
        codebook, "推动审批事项全程网上办理。"
    )


def test_problems_a_background_heading_and_a_base_laid_are_no_commitments(codebook):
    assert shipped(codebook, "部分部门仍要求群众重复提交身份证复印件。") == set()
    assert shipped(codebook, "一、背景\n部门之间数据共享不充分。") == set()
    assert shipped(codebook, "我省已建成全省一体化网上政务服务平台，为本方案的实施奠定了基础。") == set()


def test_a_stock_phrase_elsewhere_in_the_sentence_no_longer_cancels_a_code(codebook):
    security = "落实网络安全等级保护制度（省委网络安全和信息化领导小组办公室牵头）。"
    budget = "所需经费由市本级财政统筹安排，市财政局要加快各类专项资金支付事项网上办理。"
    assert (security, "content.supporting_systems.security") in shipped(codebook, security)
    assert (budget, "mech.mobilisation.budget") in shipped(codebook, budget)


def test_units_named_after_a_task_count_but_units_told_what_to_do_do_not(codebook):
    named = "编制政务服务事项清单（市编办负责）。"
    assert (named, "mech.leadership.clear_lead_units") in shipped(codebook, named)
    assert shipped(codebook, "各牵头单位要定期报送工作进展。") == set()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("今年，完成市级网上办事大厅与省级平台的对接。", "goal2017.platform"),
        ('到"十三五"末，建成整体联动、部门协同、一网办理的政务服务体系。', "goal2020.one_network"),
    ],
)
def test_this_year_and_a_straight_quoted_five_year_plan_end_name_the_goal_year(codebook, text, code):
    assert (normalise(text), code) in shipped(codebook, text)  # the straight quotes are read as “”


# A wording and the code a careful reader gives it (True) or not (False), by the behaviour each group shows: one
# test reads them all, its ids name the group (test_a_wording_is_coded_as_a_reader_codes_it).
WORDINGS: dict[str, list[tuple[str, str, bool]]] = {}

WORDINGS["a family of wordings finds a code and its near misses do not"] = [
    # {verb} near {object} families a plan writer uses instead of the code's literal keyword, with near misses
    ("推动户籍、医保等事项跨省通办。", "content.cross_level", True),
    ("推进跨部门通办事项梳理。", "content.cross_level", False),
    ("让“全滇通办”深入人心。", "content.cross_level", True),
    ("推动事项全网通办。", "content.cross_level", False),
    ("市区联动办理不动产登记。", "content.cross_level", True),
    ("实现项目网上申报、网上审批。", "content.platform_integration.one_network", True),
    ("开展网上申报培训。", "content.platform_integration.one_network", False),
    ("综合窗口统一受理，后台分类审批。", "content.platform_integration.one_window", True),
    ("砍掉不必要的环节和证明材料。", "content.reengineering", True),
    ("压缩办理时限。", "content.reengineering", True),
    ("各部门不得要求群众重复提供已有材料。", "content.reengineering", True),
    ("推广政务APP，实现掌上办事。", "content.service_model", True),
    ("发展智慧医疗和智慧交通。", "content.smart_city", True),
    ("提升智慧政务水平。", "content.smart_city", False),
    ("将考核结果纳入年度绩效考评。", "task.assessment", True),
    ("梳理编制政务服务清单。", "task.catalogue", True),
    ("梳理电子证照清单。", "task.catalogue", False),
]


WORDINGS["goal and portal paraphrases count only for their year and column"] = [
    ("2017年底前，县级政务服务事项在网上全部亮出来。", "goal2017.disclosure", True),
    ("2018年底前，县级政务服务事项在网上全部亮出来。", "goal2017.disclosure", False),
    ("2017年底前，做到同一事项在全省不同地区无差别办理。", "goal2017.standardised", True),
    ("到2020年，服务更加智能，主动推送成为常态。", "goal2020.smart_services", True),
    ("在省政府门户网站增设“互联网+政务服务”栏目。", "task.portal_column", True),
    ("在政府门户网站设立曝光纠错栏目。", "task.portal_column", False),
]


WORDINGS["formulas and plain wordings of a third set of real readers"] = [
    # the national formula of one window (统一申报、统一受理、统一反馈), not any single 统一受理
    ("实现统一申报、统一受理、统一反馈和全流程监督。", "content.platform_integration.one_window", True),
    ("信访事项由市信访局统一受理。", "content.platform_integration.one_window", False),
    # standardisation achieved is a standards measure; its lack, or regularisation's level, is not (nor, since 2.12,
    # standardisation as a level to reach: the sixth round's readers)
    ("全面提升政务服务标准化和网络化水平。", "content.supporting_systems.standards", False),
    ("实现政务服务工作标准化、规范化。", "content.supporting_systems.standards", True),
    ("部分县区政务服务标准化程度不高。", "content.supporting_systems.standards", False),
    ("政务服务规范化水平明显提高。", "content.supporting_systems.standards", False),
    # existing resources reused are no platforms joined
    ("充分整合利用已有政务服务资源，避免重复建设。", "content.platform_integration", False),
    ("推动部门业务系统与市政务服务平台对接。", "content.platform_integration", True),
    # supervision named as transparency's purpose brings no one in to supervise
    ("实现行政权力全流程透明运行，方便群众监督。", "mech.supervision.multi_actor", False),
    ("畅通群众监督渠道，开展满意度测评。", "mech.supervision.multi_actor", True),
    ("推进服务事项办理网络化。", "content.platform_integration.one_network", True),
    # services joined through the levels
    ("贯通县、镇、村三级政务服务体系。", "content.cross_level", True),
    ("贯通上下游业务数据。", "content.cross_level", False),
    # a unit named after its task
    ("推进重大项目建设信息公开（市发展改革委负责落实）。", "mech.leadership.clear_lead_units", True),
    ("各区政府负责落实属地责任。", "mech.leadership.clear_lead_units", False),
    # what an application lacks told at once cuts a trip; among counter rules it is conduct
    ("对需要补正的材料一次性告知。", "content.reengineering", True),
    ("严格执行首问负责、一次性告知和限时办结制度。", "content.reengineering", False),
    ("涉及多个部门的事项实行一口受理、并行办理、限时办结。", "content.reengineering", True),
    ("各单位任务落实情况按月通报、年终考评。", "task.assessment", True),
    # information systems merged are platforms joined, unless the reform is only named among central decisions
    ("加快推进政务信息系统整合，消除信息孤岛。", "content.platform_integration", True),
    ("将非涉密业务应用迁移至市电子政务外网。", "content.platform_integration", True),
    ("落实政务信息系统整合共享等重要工作部署。", "content.platform_integration", False),
    # data and sharing a list item apart (数据资源有效汇聚、充分共享)
    ("推动政务数据资源有效汇聚、充分共享。", "content.supporting_systems.data_sharing", True),
    # one hall entered (只进一扇门) is not one window taking every application; four readers in five left it
    ("推动企业和群众办事“只进一扇门”。", "content.platform_integration.one_window", False),
    # time limits and papers halved
    ("实现审批时限平均减少一半。", "content.reengineering", True),
    ("实现审批提交材料平均减少一半。", "content.reengineering", True),
    ("制定网上政务服务平台技术指南。", "task.platform", False),
]


WORDINGS["a platform or a slogan named as what money, a standard or a meeting is for"] = [
    # the sentence's point is the funding, the standard or the meeting; the platform is named in passing
    ("省级平台建设经费由省财政统筹解决。", "task.platform", False),
    ("安排专项资金支持市县平台对接和窗口改造。", "content.platform_integration", False),
    ("推动市县平台与省级平台对接。", "content.platform_integration", True),
    ("出台网上政务服务平台建设和数据交换地方标准。", "task.platform", False),
    ("建设全省统一的网上政务服务平台。", "task.platform", True),
    ("省推进“一网通办”工作联席会议由分管副省长召集。", "content.platform_integration.one_network", False),
]


def test_a_count_of_what_is_online_so_far_is_reported_not_committed(codebook):
    assert shipped(codebook, "目前，全市政务服务网分厅共上线政务服务事项3200项。") == set()
    assert shipped(codebook, "截至目前，全县累计办理网上申请事项1.2万件。") == set()
    assert ("全市政务服务事项全部上线省政务服务网。", "task.platform") in shipped(
        codebook, "全市政务服务事项全部上线省政务服务网。"
    )


def test_a_defined_term_is_explained_not_committed_to(codebook):
    assert shipped(codebook, "“一次办好”即“一次办结、群众满意”，以企业和群众办好一件事为标准。") == set()
    assert shipped(codebook, "互联网政务服务即搭建网上政务服务平台，推动服务事项网上办理。") == set()


def test_top_level_design_states_the_principle_in_a_label_line_or_as_what_is_strengthened(codebook):
    """Rounds six to eleven: readers coded 加强/强化/做好顶层设计 as the principle in 17 of 18 sentences."""
    text = (
        "（二）基本原则\n统筹规划，顶层设计。\n强化顶层设计和标准体系建设，避免重复建设和资源浪费。\n"
        "顶层设计，分级实施：省级制定总体框架。\n按照顶层设计确定的总体框架，建设市级平台并与省级平台对接。"
    )
    cited = {sentence for sentence, code in shipped(codebook, text) if code == "prin.coordinated_planning"}
    assert cited == {
        "统筹规划，顶层设计。",
        "强化顶层设计和标准体系建设，避免重复建设和资源浪费。",
        "顶层设计，分级实施：省级制定总体框架。",
    }
    guiding = shipped(codebook, "二、指导思想\n坚持问题导向，强化顶层设计，注重资源整合。")
    assert "prin.coordinated_planning" in {code for _, code in guiding}


def test_a_principle_label_line_is_no_data_sharing_commitment(codebook):
    assert shipped(codebook, "（二）基本原则\n坚持开放共享。") == set()
    assert shipped(codebook, "（二）基本原则\n三是坚持开放共享。") == set()
    assert ("推进部门间数据开放共享。", "content.supporting_systems.data_sharing") in shipped(
        codebook, "推进部门间数据开放共享。"
    )


# synthetic annual plans: the year of the plan's title dates the undated tasks, not its principles; nothing when a
# plan title without it stands beside, nor a notice's title alone
ANNUAL_TABLE = "2017年示例省政务服务工作任务进度表\n一、规范服务事项\n第四季度：公开行政权力事项、公共服务事项。"
TRANSMITTED = (
    "示例市人民政府关于印发2017年示例市政务服务工作要点的通知\n"
    "示例市政务服务工作方案\n一、规范服务事项\n公开行政权力事项、公共服务事项。"
)
ANNUAL_PRINCIPLE = "示例省政务服务2017年工作方案\n一、工作原则\n坚持公开透明：依法公开服务事项和办理结果。"
NOTICE_ALONE = "示例省关于做好2017年下半年重点工作的通知\n一、规范服务事项\n第四季度：公开行政权力事项、公共服务事项。"
DATED_NOTICE = (
    "关于印发示例市政务服务工作方案的通知（2017年5月12日）\n一、规范服务事项\n公开行政权力事项、公共服务事项。"
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (ANNUAL_TABLE, True),
        (TRANSMITTED, False),
        (DATED_NOTICE, False),
        (ANNUAL_PRINCIPLE, False),
        (NOTICE_ALONE, False),
    ],
)
def test_the_one_year_every_title_names_governs_an_annual_plans_undated_tasks(codebook, text, found):
    assert any(code == "goal2017.disclosure" for _, code in shipped(codebook, text)) is found


WORDINGS["progress told, a system named by its qualities, work bought and labels commit to nothing"] = [
    # progress told: work nearly done, a count so far, last year, a meeting held, a year framed
    ("全市政务服务事项目录编制工作已基本完成。", "task.catalogue", False),
    ("年底前完成全市政务服务事项目录编制工作。", "task.catalogue", True),
    ("已有85个高频事项实现全省通办。", "content.cross_level", False),
    ("推动85个高频事项实现全省通办。", "content.cross_level", True),
    ("据统计，过去一年全市推行综合窗口受理。", "content.platform_integration.one_window", False),
    ("全市在平台对接等方面取得了明显进展。", "content.platform_integration", False),
    ("全市“一网通办”推进会议于4月12日召开。", "content.platform_integration.one_network", False),
    ("今年是推进“一网通办”的攻坚之年。", "content.platform_integration.one_network", False),
    ("今年是攻坚之年，要全面推行“一网通办”。", "content.platform_integration.one_network", True),
    # a 2020 system named only by its qualities is not the national formula, whose parts are listed
    ("到2020年，建成便捷高效的政务服务体系。", "goal2020.one_network", False),
    ("到2020年，建成整体联动、部门协同、一网办理的政务服务体系。", "goal2020.one_network", True),
    # what a contractor or money is for, across a comma, is named in passing
    ("通过购买服务，由第三方机构负责综合窗口的辅助受理。", "content.platform_integration.one_window", False),
    ("设立综合窗口，统一受理各类申请。", "content.platform_integration.one_window", True),
    ("省财政安排专项经费，支持市县平台对接省级平台。", "content.platform_integration", False),
    ("区县平台全部接入市级平台。", "content.platform_integration", True),
    ("政府网站首页设置相关链接入口。", "content.platform_integration", False),
    # a system of meetings organises the work, a security report assesses no one, labels name no measure or unit
    ("建立全市联席会议制度。", "content.supporting_systems", False),
    ("建立平台运行管理制度。", "content.supporting_systems", True),
    ("建立平台安全监测和通报机制。", "mech.supervision.assessment", False),
    ("建立政务服务工作定期通报机制。", "mech.supervision.assessment", True),
    ("第五条 考核内容及分值如下：", "task.assessment", False),
    ("第五条 考核内容及分值如下：", "mech.supervision.assessment", False),
    ("将政务服务工作纳入年度绩效考核。", "task.assessment", True),
    ("现将重点任务分工如下。", "mech.leadership.clear_lead_units", False),
    ("各项任务均明确牵头单位和责任单位。", "mech.leadership.clear_lead_units", True),
]


def test_a_progress_section_reports_what_is_done(codebook):
    assert shipped(codebook, "（三）主要进展\n市级平台与省级平台实现对接。") == set()
    assert ("市级平台与省级平台实现对接。", "content.platform_integration") in shipped(
        codebook, "（三）主要任务\n市级平台与省级平台实现对接。"
    )


WORDINGS["a platform or data exchange named as what security or a standard protects or governs"] = [
    ("保障网上政务服务平台安全稳定运行。", "task.platform", False),
    ("按照等级保护第三级要求建设和运行省政务服务网。", "task.platform", False),
    ("加快建设网上政务服务平台，保障平台安全稳定运行。", "task.platform", True),
    ("强化政务云和数据交换平台安全防护。", "content.supporting_systems.data_sharing", False),
    ("制定政务服务事项管理、数据交换等地方标准。", "content.supporting_systems.data_sharing", False),
    ("推进部门间数据交换共享。", "content.supporting_systems.data_sharing", True),
]


def test_a_sub_codes_stock_phrase_leaves_its_parent_the_evidence_of_a_sibling(codebook):
    """Data exchange as what a standard governs is no data sharing, but the sentence is a standard, and through
    the standards code still evidence of the supporting rules they share as parent."""
    codes = {code for _, code in shipped(codebook, "制定政务服务事项管理、数据交换等地方标准。")}
    assert codes == {"content.supporting_systems", "content.supporting_systems.standards"}


WORDINGS["counted visits followed standards qualifiers and assessment checklists"] = [
    # visits counted rather than named (到现场…次数不超过1次, 零跑动) are the reengineering measure
    ("70%以上申办事项到现场办理次数不超过1次。", "content.reengineering", True),
    ("推动更多事项实现零跑动。", "content.reengineering", True),
    ("统计窗口办理次数。", "content.reengineering", False),
    # building to another level's standard is no standard set; setting a unified one is
    ("按照省统一标准，建成全市统一身份认证体系。", "content.supporting_systems.standards", False),
    ("制定全市统一标准，规范数据接口。", "content.supporting_systems.standards", True),
    ("按照市级标准统一全县办事指南格式和服务规范。", "content.supporting_systems.standards", True),
    # 开放共享 qualifying the system built is no data-sharing commitment
    ("着力构建开放共享、高效便民的政务服务体系。", "content.supporting_systems.data_sharing", False),
    ("推动部门间数据开放共享。", "content.supporting_systems.data_sharing", True),
    # what an assessment looks at is no commitment to it
    ("就考核对象在网上政务服务平台建设应用等方面工作开展情况进行考核。", "task.platform", False),
    (
        "就考核对象在平台建设应用、信息资源共享等方面工作开展情况进行考核。",
        "content.supporting_systems.data_sharing",
        False,
    ),
]


WORDINGS["relative negations label headings principle lines and self reference"] = [
    # units not yet covered (未纳入…考核的单位) negate nothing; a plain negation still does
    ("考核结果纳入年度绩效考核，未纳入绩效考核的单位另行考核。", "task.assessment", True),
    ("该项工作暂未纳入绩效考核。", "task.assessment", False),
    # a numbered label heading that repeats its noun (三、考核分值及考核办法) only labels what follows
    ("三、考核分值及考核办法", "task.assessment", False),
    # a principle's label line after a dash sets no standard; a standard set does
    ("——坚持统一标准与上下联动。", "content.supporting_systems.standards", False),
    ("——坚持资源共享与协同办理。", "content.supporting_systems", True),
    # the document naming itself (特制定本办法) is no supporting rule; a rule to be drawn up is
    ("结合本市实际，特制定本办法。", "content.supporting_systems", False),
    ("制定网上政务服务管理办法。", "content.supporting_systems", True),
]


WORDINGS["active service licence store links related data and shared platforms"] = [
    # serving unasked instead of waiting (变被动服务为主动服务) is a new service model; serving the whole is not
    ("变被动服务为主动服务，提升群众满意度。", "content.service_model", True),
    ("探索精准推送服务，变被动应对为主动服务。", "content.service_model", True),
    ("各部门要主动服务发展大局。", "content.service_model", False),
    # systems linked to the licence store share data and join platforms; building the store alone does neither
    ("推进审批业务系统与电子证照库对接联通。", "content.supporting_systems.data_sharing", True),
    ("推进审批业务系统与电子证照库对接联通。", "content.platform_integration", True),
    ("启动电子证照库建设。", "content.supporting_systems.data_sharing", False),
    ("启动电子证照库建设。", "content.platform_integration", False),
    # data related and compared across departments is data sharing; a work link is not
    ("以社会信用代码为索引，关联各部门的业务数据。", "content.supporting_systems.data_sharing", True),
    ("加强政务数据资源的横向关联和比对。", "content.supporting_systems.data_sharing", True),
    ("加强与相关部门的工作关联。", "content.supporting_systems.data_sharing", False),
    # the national formula's shared service platform (实现共享服务平台、共享服务信息…) joins platforms
    ("实现共享服务平台、共享服务信息、共享服务成果。", "content.platform_integration", True),
]


WORDINGS["online handling the joint network formula and cited pilots are passing mentions"] = [
    # 政务服务网上办理 is handling online, not the 政务服务网 platform; the platform itself still counts
    ("推进政务服务网上办理。", "task.platform", False),
    ("依托省政务服务网，推进政务服务事项网上办理。", "task.platform", True),
    # the national formula's one network run jointly (逐级接入…“一张网”联动运行) builds no platform
    ("将网上办理通道和运行数据逐级接入，推动全省政务服务“一张网”联动运行。", "task.platform", False),
    ("加快建设全省政务服务“一张网”。", "task.platform", True),
    # a pilot named among the documents followed (…综合试点等有关文件要求) is no pilot of the plan's own
    ("深入落实国家电子政务综合试点等有关文件要求。", "mech.exploration.pilots", False),
    ("选择部分县区开展试点，成熟后全市推广。", "mech.exploration.pilots", True),
]


WORDINGS["a mobile channel as a connected system or disclosure channel is no service model"] = [
    # a mobile channel as a system items are put into, data merged from or a disclosure channel is no service model
    ("全部事项100%接入市网上政务服务平台和移动客户端。", "content.service_model", False),
    ("将网络理政平台、移动政务平台等信息数据融合。", "content.service_model", False),
    ("加强政府网站、微博和移动APP等综合应用，拓宽公开渠道。", "content.service_model", False),
    # serving through the mobile client still is
    ("推动政务服务向移动客户端延伸。", "content.service_model", True),
    ("实现政务服务在政府网站、移动客户端、自助终端等不同渠道的统一认证。", "content.service_model", True),
]


WORDINGS["a reform slogan alone is not reengineering and its list of items is the catalogue"] = [
    # the slogan names an outcome (since 2.17: readers of five rounds passed it over in 11 documents of 15); its
    # list of items (“最多跑一次”事项清单) is the catalogue; the steps and papers cut beside it are reengineering
    ("全市公布第二批“最多跑一次”事项清单。", "content.reengineering", False),
    ("全市公布第二批“最多跑一次”事项清单。", "task.catalogue", True),
    ("全面推进“一次办妥”事项清单内事项开展“一次办妥”工作。", "content.reengineering", False),
    ("推动群众办事“最多跑一次”。", "content.reengineering", False),
    ("推动群众办事“最多跑一次”，减少申请材料和办事环节。", "content.reengineering", True),
]


WORDINGS["services moved online papers cut by a share and principles stated as rounds six to eleven code them"] = [
    # since 2.18: a verb before what moves online is one network, not only 全面推进… (readers: 29 sentences of 33)
    ("加快推进全市政务服务事项网上办理。", "content.platform_integration.one_network", True),
    ("推动与群众生活密切相关的服务事项网上办理。", "content.platform_integration.one_network", True),
    ("网上办理深度不断提升，移动端应用加快推进。", "content.platform_integration.one_network", False),
    ("2018年重点事项网上办理推进表", "content.platform_integration.one_network", False),
    ("到2019年底，群众办事提交的材料减少30%以上。", "content.reengineering", True),
    ("全面落实企业登记“多证合一”改革。", "content.reengineering", True),
    ("坚持全市统筹、分级负责的原则。", "prin.coordinated_planning", True),
    ("2020年底前，建成全市统筹、部门协同的服务体系。", "prin.coordinated_planning", False),
    ("以服务便民利民、信息公开透明为原则，推进平台建设。", "prin.convenience", True),
    ("按照统一架构、创新驱动、集约建设的原则推进工作。", "prin.open_innovation", True),
    ("加快建设全省贯通的五级一体审批服务平台。", "task.platform", True),
]


WORDINGS["papers not asked again processes sorted and channels run side by side as the twelfth round codes them"] = [
    # since 2.19 (the twelfth round, measured held out with 2.18.0 first)
    ("凡是能通过部门间核验获取的证明，一律无需申请人重复提供。", "content.supporting_systems.data_sharing", True),
    ("（二）基本原则\n坚持问题和需求导向，聚焦群众办事的堵点。", "prin.problem_orientation", True),
    ("坚持政务服务上网是原则、不上网是例外。", "content.platform_integration.one_network", True),
    ("年底前完成区级行政许可事项流程梳理。", "content.reengineering", True),
    ("年底前完成区级行政许可事项流程梳理。", "task.catalogue", False),
    ("80%以上政务服务事项实现“一窗”分类受理。", "content.platform_integration.one_window", True),
    ("政务服务事项实行网上、网下双轨运行。", "content.service_model", True),
    ("依托大数据分析，实现政务服务精准推送。", "content.service_model", True),
    ("围绕企业和群众办事需求导向，推进审批服务便民化。", "prin.demand_led", True),
    ("紧紧围绕企业和群众办事需求，推进审批服务便民化。", "prin.demand_led", False),
]


WORDINGS["a rating system's channels and rules and progress so far as the thirteenth round codes them"] = [
    # since 2.20 (the thirteenth round: rating-system plans, assessment schemes and news, measured held out first)
    ("线下评价渠道包括实体政务大厅、意见箱和自助服务终端。", "content.service_model", False),
    ("做好制度衔接，确保各项工作有序推进。", "content.supporting_systems", False),
    ("各地要建立“好差评”制度，开展评价工作。", "content.supporting_systems", False),
    ("全面建立政务服务“好差评”制度。", "mech.supervision.multi_actor", True),
    ("将政务服务“好差评”结果纳入绩效评价。", "task.assessment", True),
    ("目前，全区网上政务服务平台建设基本完成。", "task.platform", False),
    ("目前，“好差评”系统已基本调试完成并试用。", "mech.supervision.multi_actor", False),
    ("升级“一次办结”政务服务平台的受理功能。", "content.reengineering", False),
    ("目前，全市企业投资项目网上审批率均达到了100%。", "content.platform_integration.one_network", False),
]


WORDINGS["the 2018 formula a rate online and a principle beside a stock phrase as every round codes them"] = [
    # since 2.21 (mined from the misses of rounds six to thirteen); the term 顶层设计要求 alone is ignored
    (
        "为深入推进“互联网+政务服务”，更好为企业和群众提供全流程一体化在线政务服务，制定本方案。",
        "content.platform_integration.one_network",
        True,
    ),
    (
        "（一）工作原则\n根据上级的顶层设计要求，按照全市统一规划、分步实施的思路推进建设。",
        "prin.coordinated_planning",
        True,
    ),
    ("2019年底前，市县两级政务服务事项网上可办率不低于80%。", "content.platform_integration.one_network", True),
]


WORDINGS["the 2018 formula turning service from supply to demand as both readers of the fifteenth round code it"] = [
    # since 2.22 (the fifteenth round, two readers each); the demand side named alone stays a goal, not a principle
    ("推动政务服务从政府供给导向向群众需求导向转变，从“线下跑”向“网上办”转变。", "prin.demand_led", True),
    ("各部门要了解群众需求，改进服务。", "prin.demand_led", False),
]


WORDINGS["principle pairs written apart the disclosure formula and slogan lists as both readers code them"] = [
    # since 2.23 (rounds fifteen to eighteen, two readers each): a pair of a principle written with 、 between
    ("审批服务秉承“高效、便民、公开、透明”的原则。", "prin.convenience", True),
    ("审批服务秉承“高效、便民、公开、透明”的原则。", "prin.transparency", True),
    ("为群众提供高效、便民的服务。", "prin.convenience", False),
    ("办事过程做到公开、透明。", "prin.transparency", False),
    ("坚持“以公开为常态、不公开为例外”，办事信息全部上网公布。", "prin.transparency", True),
    # a list of the reform's slogans names one window and one network
    ("全面推进“一门、一窗、一表、一网、一次”改革。", "content.platform_integration.one_window", True),
    ("全面推进“一门、一窗、一表、一网、一次”改革。", "content.platform_integration.one_network", True),
]


WORDINGS["requirement lists paired orientations and no separate platforms as both readers code them"] = [
    # since 2.24 (rounds twenty to twenty-two, two readers each): principles as items of the requirements a guiding
    # thought follows, a demand principle paired with problem orientation, a principle named before 建设原则
    ("按照服务利企便民、办事依法依规、信息公开透明的要求，推进政务服务改革。", "prin.convenience", True),
    ("按照“统一机构、统一规划、统一网络”的要求，整合各部门信息系统。", "prin.coordinated_planning", True),
    ("按照全县统一规划的要求建设便民服务站。", "prin.coordinated_planning", False),
    ("以最大程度利企便民为目标，推动政务服务事项网上办理。", "prin.convenience", False),
    ("平台按照“全市统筹、统分结合”建设原则部署。", "prin.coordinated_planning", True),
    ("今年工作要进一步优化顶层设计，夯实平台基础，提升应用成效。", "prin.coordinated_planning", True),
    ("全县工作要强化问题导向、需求牵引，加快平台应用。", "prin.demand_led", True),
    ("全县工作要强化需求牵引，加快平台应用。", "prin.demand_led", False),
    # standards and security as supports, a requirement to build to standard, systems joined, no separate platforms
    ("强化标准支撑、安全支撑，保障平台稳定运行。", "content.supporting_systems.standards", True),
    ("强化标准支撑、安全支撑，保障平台稳定运行。", "content.supporting_systems.security", True),
    ("按照规范化、标准化、集约化建设要求，推进市县平台对接。", "content.supporting_systems.standards", True),
    ("推动办事材料电子化、标准化，减少纸质材料。", "content.supporting_systems.standards", False),
    ("加快推进政务信息系统互联和政务数据共享。", "content.platform_integration", True),
    ("各县区不再单独建设政务服务平台，统一使用市级平台。", "content.platform_integration", True),
    ("在县政务服务一体化平台开设企业服务专栏。", "task.platform", True),
]


WORDINGS["the 2018 demand formula full-process e-handling and the Shandong supports as readers code them"] = [
    # since 2.25 (rounds twenty-three to twenty-five, two readers each)
    ("坚持以更快更好方便企业和群众办事创业为导向，推进审批服务便民化。", "prin.demand_led", True),
    ("促进政务服务全流程电子化，提高办事效率。", "content.platform_integration.one_network", True),
    ("全面推行“马上办、网上办、就近办、一次办”。", "content.platform_integration.one_network", True),
    ("选取两个镇开展“网上办、就近办”试点。", "content.platform_integration.one_network", False),
    ("落实五项保障（组织保障、制度保障、财力保障、人才保障、督查保障）。", "mech.mobilisation.budget", True),
    ("统一技术构架、数据标准、版面设计、考核评价和管理规范。", "task.assessment", True),
    ("提升运用市政务服务网办理事项的能力。", "task.platform", True),
    ("升级改造市网上办事服务平台并延伸至乡镇。", "task.platform", True),
    ("坚持融合创新，推动业务与技术深度融合。", "prin.open_innovation", True),
    # openness in a guiding thought's list of requirements: the readers split, the definition leaves it out
    ("按照办事依法依规、信息公开透明、数据开放共享的要求推进工作。", "prin.transparency", False),
]


WORDINGS["the 2018 platform formula the data-sharing formula and slogans of rounds twenty-six to twenty-eight"] = [
    # since 2.26 (rounds twenty-six to twenty-eight, two readers each)
    ("加快推进平台建设，规范服务标准，整合系统资源，优化办事流程。", "content.supporting_systems.standards", True),
    ("各部门要按照便民，高效、透明的原则，编制办事指南。", "prin.convenience", True),
    ("为群众提供便民，高效的服务。", "prin.convenience", False),
    ("实现企业和群众办事“只进一扇门、只去一个窗”。", "content.platform_integration.one_window", True),
    ("做到企业和群众办事“一证通用、一次登录、全网通办”。", "content.platform_integration.one_number", True),
    ("推进政府服务模式改革，提高政府服务效率。", "content.service_model", True),
    ("加快推进政务信息系统整合共享，聚焦现实问题，统筹规划，抓好落实。", "prin.problem_orientation", True),
    ("加快推进政务信息系统整合共享，聚焦现实问题，统筹规划，抓好落实。", "prin.coordinated_planning", True),
    ("各部门要聚焦现实问题，加快整改。", "prin.problem_orientation", False),
    ("坚持“政府引导、市场为主”，鼓励社会资本参与建设。", "mech.mobilisation.gov_business", True),
    ("坚持“应公开、尽公开”原则，推进基层政务公开标准化。", "prin.transparency", True),
    ("全市政务服务事项100%实现网上可办。", "content.platform_integration.one_network", True),
    ("加强各应用系统的整合优化和协同共享。", "content.platform_integration", True),
]


WORDINGS["registration online regulation scopes and approval regimes as rounds 33 to 35 read them"] = [
    # since 2.27 (rounds thirty-three to thirty-five, two readers each)
    ("深化商事登记改革，实现企业登记全程电子化。", "content.platform_integration.one_network", True),
    ("简化、规范工程项目报建手续。", "content.reengineering", True),
    ("完善平台的统一身份认证、安全和运维管理功能。", "content.supporting_systems.security", True),
    ("完成与省政务服务事项管理库的数据对接。", "task.catalogue", True),
    ("全面厘清市级政务服务事项。", "task.catalogue", True),
    ("全面清理行政审批事项，没有法律依据的一律取消。", "task.catalogue", False),
    ("规范各类政务服务事项办事指南的信息要素。", "content.supporting_systems.standards", True),
    ("第二条 本办法所称第三方机构，是指依法取得资质的服务机构。", "mech.supervision.multi_actor", False),
    ("引入第三方机构开展满意度测评。", "mech.supervision.multi_actor", True),
    ("结合政府工作报告确定的重点工作和任务分工，提出公开任务。", "mech.leadership.clear_lead_units", False),
    ("2017年，各地要在网上全面公开本级政府部门权责清单。", "goal2017.disclosure", False),
    ("2017年第四季度：政务服务信息系统平台投入并使用。", "goal2017.platform", True),
    ("探索创新投资管理服务方式。", "content.service_model", False),
    ("推行预约服务和错时服务。", "content.service_model", True),
    ("第三季度：全面开展督促指导，解决平台建设中的问题。", "mech.supervision.assessment", True),
]


WORDINGS["zero trips a city without certificates and the platforms' own names as rounds 36 to 39 read them"] = [
    # since 2.28 (rounds thirty-six to thirty-nine, two readers each)
    ("落实“一趟不用跑”要求，推动更多事项网上办。", "content.platform_integration.one_network", True),
    ("打造“无证明之城”，凡能共享获取的材料不再提交。", "content.reengineering", True),
    ("将审批系统接入市政务服务综合效能监管平台。", "mech.supervision.online", True),
    ("全面推进政务服务“三晋通办”。", "content.cross_level", True),
    ("建设“互联网+监管+督查”系统，实现全流程监管。", "mech.supervision.assessment", False),
    ("所有部门办事系统与省政务服务网并网整合。", "task.platform", True),
    # (the platform until 2.34: readers of rounds 37, 46 and 49 coded a province's app the mobile channel)
    ("2020年，推动各地各部门的掌上应用全部接入“赣服通”。", "task.platform", False),
    ("各市县一律不得新建网上政务服务平台。", "task.platform", False),
    ("评价数据实时上报省平台，差评及时回访。", "mech.supervision.realtime", True),
    ("到2017年，电子政务公共平台基本完善，网上服务基本实现。", "goal2017.platform", True),
    ("开发“e办事”微信小程序，方便群众查询办件进度。", "content.service_model", True),
    ("（二）规范政务服务事项和标准", "content.supporting_systems.standards", True),
    ("规范完善乡镇公共服务事项目录。", "content.supporting_systems.standards", False),
    ("推动实体办事大厅系统与网上办事分厅系统对接。", "task.platform", False),
    # the 2018 formula of the approval regime split the readers of four plans two to two: either call is fair
    ("创新投资管理服务方式，压缩项目落地时间。", "content.service_model", False),
]


WORDINGS["business merged top-level planning and a published item list as rounds 40 and 41 read them"] = [
    # since 2.29 (rounds thirty-three to forty-one, two readers each)
    ("深入实施数据整合和业务融合。", "content.platform_integration", True),
    ("推动企业群众办事“市县同办”。", "content.cross_level", True),
    ("（二）基本原则\n坚持统筹全市数字政府顶层规划，科学布局。", "prin.coordinated_planning", True),
    ("对照省里公布的流程再造事项清单，梳理本部门的事项流程。", "task.catalogue", False),
    ("实现好差评渠道全覆盖、信息全关联、数据全汇聚、结果全公开。", "content.supporting_systems.data_sharing", False),
    # the 2017 formula of publishing the items: one reader call of six in rounds thirty-three to forty-one
    ("2017年底前，全面公开县级政务服务事项。", "task.catalogue", False),
    ("2017年底前，全面公开县级政务服务事项。", "goal2017.disclosure", True),
]


WORDINGS["ministries' plans and a city's eight ways of handling as rounds 42 and 43 read them"] = [
    # since 2.30 (rounds forty-two and forty-three, two readers each)
    ("坚持统筹规划、问题导向、便民办税、开放创新的原则。", "prin.convenience", True),
    ("深入推进部门电子政务资源整合。", "content.platform_integration", True),
    ("逐步实现全部事项全流程动态监督。", "mech.supervision.realtime", True),
    ("鼓励企业和社会机构开发利用，提供创新性的便民服务。", "mech.mobilisation.gov_business", True),
    ("推行集中办、网上办、邮政办、同城办。", "content.cross_level", True),
    ("推行集中办、网上办、邮政办、同城办。", "content.service_model", True),
    ("明确各部门的工作任务和责任目标。", "mech.supervision.assessment", True),
    ("各类服务平台（含移动服务端、自助服务端等，下同）均接受评价。", "content.service_model", False),
]


WORDINGS["ministries' online platforms and steps as round 44 read them"] = [
    # since 2.31 (round forty-four, two readers each)
    ("2017年底前，建成本部门政务服务在线平台。", "goal2017.platform", True),
    ("实现“线上一个平台、线下一个窗口”一站式办理。", "task.platform", True),
    ("全面实行行政许可网上申请、受理、审查、决定、送达。", "content.platform_integration.one_network", True),
    ("精简优化行政许可网上申请、受理、审查、决定、送达等流程。", "content.platform_integration.one_network", False),
    ("精简优化行政许可网上申请、受理、审查、决定、送达等流程。", "content.reengineering", True),
]


WORDINGS["principles a ministry words its own way as round 45 read them"] = [
    # since 2.32 (round forty-five, two readers each)
    ("坚持依法依规、公开公正、利企便民原则，优化服务流程。", "prin.convenience", True),
    ("坚持需求为主、管用实用。", "prin.demand_led", True),
    ("坚持创新引领、智能驱动。", "prin.open_innovation", True),
    ("2017年，实现资格认定事项网上审批。", "content.platform_integration.one_network", True),
]


WORDINGS["the 2019 to 2022 names of one-stop reforms as rounds 46 to 48 read them"] = [
    # since 2.33 (rounds forty-six to forty-eight, two readers each)
    ("全面推行极简审批，推动更多事项“免证办”。", "content.reengineering", True),
    ("对100个高频事项实行3个工作日内办结。", "content.reengineering", True),
    ("实现500项高频事项移动办。", "content.service_model", True),
    ("推行移动办公，提高机关运转效率。", "content.service_model", False),
    ("整合线上线下政务服务资源，推动服务一体化。", "content.service_model", True),
    ("整合线上线下政务服务资源，推动服务一体化。", "content.platform_integration", False),
    ("对赋权事项落实情况开展“回头看”。", "mech.supervision.assessment", True),
    ("推动审批全过程留痕、全流程监管。", "mech.supervision.online", True),
    ("按照“省级批发、市县零售”模式，推动省级事项在市县受理。", "content.cross_level", True),
    ("加强跨层级、跨地域、跨系统、跨部门、跨业务协同管理和服务。", "content.cross_level", True),
    ("推进跨部门业务协同，提高审批效率。", "content.cross_level", False),
    ("构建一体联动、高效运行的省、市、县、乡、村五级政务服务体系。", "content.cross_level", True),
    ("（二）基本原则\n——需求为先，注重体验。", "prin.demand_led", True),
    ("落实国家政务服务事项基本目录，实行动态管理。", "task.catalogue", True),
    ("严禁超清单审批和变相审批。", "task.catalogue", True),
    ("制定实施信息主动公开基本目录。", "task.catalogue", False),
    ("分类整合各部门设立的非紧急类政务服务热线。", "content.platform_integration", True),
    ("充分发挥全区数字政务一体化平台支撑作用。", "task.platform", True),
    ("发挥统一平台优势，避免重复投入。", "task.platform", False),
    ("加快推行“减证办事”“一码通行”。", "content.platform_integration.one_number", True),
    ("在党中央集中统一领导下推进改革。", "mech.leadership.provincial_lead", False),
    ("实现政务服务中心综合窗口全覆盖。", "content.platform_integration.one_window", True),
    ("高频事项实现无差别受理、同标准办理。", "content.platform_integration.one_window", False),
]


WORDINGS["a province's app a data-driven mode and a platform used beside a ban as round 49 read them"] = [
    # since 2.34 (round forty-nine, two readers each)
    ("推动各类掌上应用全部接入“赣服通”。", "content.service_model", True),
    ("推动各类掌上应用全部接入“赣服通”。", "task.platform", False),
    ("依托“皖事通办”平台统一受理申请。", "task.platform", True),
    ("依托“皖事通办”平台统一受理申请。", "content.service_model", False),
    ("建立数据驱动的政务服务新模式。", "content.service_model", True),
    ("根据群众需求动态调整通办清单，建立清单化管理制度。", "task.catalogue", True),
    ("充分运用全省一体化在线政务服务平台，各地原则上不再新建独立政务服务APP。", "task.platform", True),
    ("“一件事一次办”服务是指将多个关联事项集成办理。", "content.reengineering", False),
]


WORDINGS["the one-thing reform standardisation as a programme and online rates as rounds 50 and 51 read them"] = [
    # since 2.35 (rounds fifty and fifty-one, two readers each)
    ("依托一体化政务服务平台，推动实现涉企高频服务“一件事一次办”。", "content.reengineering", True),
    ("建设“一件事一次办”主题集成服务系统。", "content.reengineering", True),
    ("再梳理上线不少于200项“一件事一次办”服务事项。", "content.reengineering", False),
    ("企业开办承诺期限压缩比60%以上。", "content.reengineering", True),
    ("加快推进政务服务标准化、规范化、便利化。", "content.supporting_systems.standards", True),
    ("按照统筹规划、需求引领、创新驱动、安全可控的原则，推进移动端建设。", "prin.demand_led", True),
    ("3.坚持便民利企", "prin.convenience", True),
    ("推动第二批事项在年底前实现两地通办。", "content.cross_level", True),
    ("推动粤智助政府服务自助机向企业园区投放延伸。", "content.service_model", True),
    ("到2023年，高频政务服务事项网办发生率达到85%以上。", "content.platform_integration.one_network", True),
    ("配置网上办理流程，推进网上运行。", "content.platform_integration.one_network", True),
    ("推进全市电子证照归集。", "content.supporting_systems.data_sharing", True),
]


WORDINGS["fingertip services whole design a rhythm and what an assessment checks as rounds 52 to 55 read them"] = [
    # since 2.36 (rounds fifty-two to fifty-five, two readers each)
    ("（一）指导思想\n坚持问题导向，加强整体设计，推动改革落地。", "prin.coordinated_planning", True),
    ("推动更多事项实现“指尖办”。", "content.service_model", True),
    ("推出一批“免申即享”服务事项。", "content.service_model", True),
    ("实现更多政务服务事项网上办、掌上办、一次办。", "content.platform_integration.one_network", True),
    ("推进网上办事大厅建设，提升服务能力。", "content.platform_integration.one_network", False),
    ("会同有关部门加强监督检查和跟踪评估。", "mech.supervision.assessment", True),
    ("6月底前每周通报一次各街道自助终端办件量情况。", "mech.supervision.assessment", True),
    ("三、考核方式 主要通过核查网上政务服务平台相关数据。", "task.platform", False),
    ("区行政审批局要加强领导，作好统筹协调和指导。", "mech.leadership.provincial_lead", True),
    ("实现一网通办、就近可办、同城通办。", "content.cross_level", True),
    ("完成自助终端所需网络改造，确保网络系统互连互通。", "content.platform_integration", True),
    ("建设政务服务大数据库，及时汇聚内外部政务服务数据信息。", "content.supporting_systems.data_sharing", True),
]


WORDINGS["a phone version a numbered principle label and one network by 2020 as rounds 56 to 59 read them"] = [
    # since 2.37 (rounds fifty-six to fifty-nine, two readers each)
    ("两个拓展，即在网上办事大厅手机版上拓展民生服务事项的移动办理。", "task.platform", False),
    ("两个拓展，即在网上办事大厅手机版上拓展民生服务事项的移动办理。", "content.service_model", True),
    ("把更多便民事项接入政务服务平台移动端。", "task.platform", False),
    ("（三）基本原则\n（一）坚持开放共享", "content.supporting_systems.data_sharing", False),
    ("（三）基本原则\n2.坚持统一标准", "content.supporting_systems.standards", False),
    ("到2020年底，实现全市政务服务事项“一网办通”全覆盖。", "goal2020.one_network", True),
]


GUANGDONG_2017 = (
    "围绕“放管服”改革一个核心，依托我市统一的网上办事大厅服务体系，促进“简政放权与全程监管”、“公共服务与一机两页”两个结合，"
    "开展网上办事大厅应用提升、网上全流程效能监督两项行动。"
)
WORDINGS["the whole online process supervised for efficiency as three Guangdong plans' readers read it"] = [
    # since 2.43 (rounds fifty-four, fifty-eight and seventy-one, both readers of each document)
    (GUANGDONG_2017, "content.platform_integration.one_network", False),
    (GUANGDONG_2017, "mech.supervision.online", True),
    ("推行网上全流程办理，实现办件网上流转。", "content.platform_integration.one_network", True),
]


WORDINGS["the five unified called a principle and an office named by rules as rounds 65 to 74 read them"] = [
    # since 2.42 (rounds sixty-five to seventy-four, both readers of each document)
    (
        "按照“统一工程规划、统一标准规范、统一备案管理、统一审计监督、统一评价体系”的总体原则，推进政务信息系统整合共享。",
        "prin.coordinated_planning",
        True,
    ),
    ("各部门要统一工程规划和建设。", "prin.coordinated_planning", False),
    (
        "市发改委是全市政务信息资源共享主管部门，负责政务信息资源共享的组织实施。",
        "mech.leadership.clear_lead_units",
        True,
    ),
    ("区府办是本区电子证照综合管理部门，负责统筹协调全区电子证照工作。", "mech.leadership.clear_lead_units", True),
    ("各部门是本部门数据质量的责任主体。", "mech.leadership.clear_lead_units", False),
]


WORDINGS[
    "what an information-systems plan covers and no approval outside the platform as rounds 61 to 69 read them"
] = [
    # since 2.40 (rounds sixty-one to sixty-nine, both readers of each document)
    (
        "纳入整合共享范围的政务信息系统包括由政府投资建设的各类信息系统。",
        "content.supporting_systems.data_sharing",
        False,
    ),
    ("本次纳入整合共享的政务信息系统指用于支撑政府业务应用的各类信息系统。", "content.platform_integration", False),
    # since 2.41 (round seventy): the same with an outline number before it
    (
        "2.纳入整合共享范畴的政务信息系统，包括各部门由政府投资建设的信息系统。",
        "content.supporting_systems.data_sharing",
        False,
    ),
    ("推动各部门业务系统整合共享，实现数据互通。", "content.supporting_systems.data_sharing", True),
    ("（二）实行“平台之外无审批”。", "task.platform", True),
    ("（二）实行“平台之外无审批”。", "content.platform_integration.one_network", False),
]


FIVE_UNIFIED = "坚持统一工程规划、统一标准规范、统一备案管理、统一审计监督、统一评价体系“五个统一”原则。"
WORKING_APPROACH = "既着眼长远，统筹谋划，锐意改革，又立足当前，聚焦现实问题，重点突破，尽快见效。"
WORDINGS["the information-systems plans' five unified principle and working approach as rounds 64 to 67 read them"] = [
    # since 2.39 (rounds sixty-four to sixty-seven, both readers of each document)
    (FIVE_UNIFIED, "prin.coordinated_planning", True),
    (FIVE_UNIFIED, "task.assessment", True),
    (FIVE_UNIFIED, "mech.supervision.assessment", True),
    (WORKING_APPROACH, "prin.problem_orientation", True),
    (WORKING_APPROACH, "prin.coordinated_planning", True),
    ("要突出“三个导向”：\n1.突出问题导向。", "prin.problem_orientation", True),
    ("按照“五个统一”的总体原则，坚持“先联通、后提高”，推进政务信息系统整合共享。", "task.assessment", False),
    (
        "整合由政府投资建设、政府向社会购买服务或需政府资金运行维护的各类信息系统。",
        "mech.mobilisation.purchase_services",
        False,
    ),
    ("通过政府购买服务方式，委托专业机构承担平台运行维护。", "mech.mobilisation.purchase_services", True),
]


WORDINGS["the 2022 standardisation level and a list of powers kept up to date as rounds 33 to 64 read them"] = [
    # since 2.38 (rounds thirty-three to sixty-four, both readers of each document)
    ("2025年底前，政务服务标准化、规范化、便利化水平大幅提升。", "content.supporting_systems.standards", True),
    ("全面提升全县政务服务标准化规范化便利化水平。", "content.supporting_systems.standards", True),
    ("提升政务服务标准化和网络化水平，增强政务服务的主动性。", "content.supporting_systems.standards", False),
    ("（一）实行权责清单动态管理。", "task.catalogue", True),
    ("对本区权力清单和责任清单进行动态管理，做到及时更新。", "task.catalogue", True),
    ("在公开权责清单的基础上，及时动态更新。", "task.catalogue", False),
    ("推进权力清单和责任清单公开。", "task.catalogue", False),
]


WORDINGS["a scored item of an assessment commits to nothing but the assessment"] = [
    # a scored item of an assessment (（N分）, …的得N分) names what is scored, not a commitment to it
    ("1.流程优化（15分）：办事环节较上年减少20%以上的得15分。", "content.reengineering", False),
    ("4.服务方式（10分）：开通手机端办事或自助终端的得5分。", "content.service_model", False),
    ("3.跨层级办理（10分）：县区至少有10项事项实现与市级联动办理。", "content.cross_level", False),
    ("（五）信息共享（15分）。", "content.supporting_systems.data_sharing", False),
    ("按时向省交换平台报送共享目录的得8分。", "content.supporting_systems.data_sharing", False),
    # the assessment itself still counts, and the same measures outside a score do
    ("考核结果纳入年度绩效考核，考核总分100分。", "task.assessment", True),
    ("大力精简办事环节，推行证照寄递服务。", "content.reengineering", True),
    ("大力精简办事环节，推行证照寄递服务。", "content.service_model", True),
]


def test_work_told_as_done_last_year_or_dropped_is_background(codebook):
    for text in (
        "省财政安排的平台建设专项资金1.2亿元已下达。",
        "市数据中心已投入使用，累计提供数据核验100万次；",
        "考核工作已于12月中旬结束，结果已通报。",
        "去年开展的“最多跑一次”试点工作已全部通过验收。",
        "备注：原计划与某公司合作共建便民服务站的项目因选址问题暂缓实施。",
        "县政务服务中心启用了办件实时监测大屏；",
    ):
        assert shipped(codebook, text) == set(), text
    # the same measures planned ahead still count
    assert ("市财政安排专项资金，保障平台建设。", "mech.mobilisation.special_funds") in shipped(
        codebook, "市财政安排专项资金，保障平台建设。"
    )
    assert ("对已投入使用的业务系统进行整合，接入省政务服务平台。", "content.platform_integration") in shipped(
        codebook, "对已投入使用的业务系统进行整合，接入省政务服务平台。"
    )


WORDINGS["a slogan naming a column or progress and counters taking any application"] = [
    # a slogan naming a column, a zone or the reform's progress is not the measure
    ("在省政府门户网站开设“一网通办”专区，集中展示办理入口。", "content.platform_integration.one_network", False),
    ("将“一网通办”推进情况纳入年度综合考评。", "content.platform_integration.one_network", False),
    ("新闻发布会介绍政务服务“一网通办”改革进展", "content.platform_integration.one_network", False),
    ("全面推行政务服务“一网通办”。", "content.platform_integration.one_network", True),
    # any counter taking any application (无差别受理) is one window; the same item handled alike is a standard
    ("选择两个县开展“无差别受理”试点，半年后评估推广。", "content.platform_integration.one_window", True),
    ("推动同一事项在全省无差别受理、同标准办理。", "content.platform_integration.one_window", False),
]


WORDINGS["plain wordings of channels realtime warnings interviews and online submission"] = [
    # plain wordings of service channels: village agents, self-service machines, phone clients, mini-programs
    ("先在两个镇试行“村级代办”，年底总结后在全县推开。", "content.service_model", True),
    ("各村确定一名代办员帮群众跑腿。", "content.service_model", True),
    ("在乡镇网点布设可办理社保缴费的一体机。", "content.service_model", True),
    ("与互联网企业合作推出政务服务小程序。", "content.service_model", True),
    ("群众在村级代办点即可提交由县级部门审批的事项。", "content.service_model", False),
    ("目前仍有部分市县各自开发“小程序”，造成入口分散。", "content.service_model", False),
    # real-time monitoring in plain words: pushed, captured, warned or reminded as it happens
    ("对各级办件全程留痕、超时预警。", "mech.supervision.realtime", True),
    ("平台办件信息实时推送至省电子监察系统。", "mech.supervision.realtime", True),
    ("建立网上政务服务安全监测预警和通报机制。", "mech.supervision.realtime", False),
    # an interview with the head of a unit that lags (约谈) is accountability
    ("对工作滞后的单位约谈主要负责人。", "mech.supervision.assessment", True),
    # every item submitted online is one network
    ("依申请事项全部实行网上提交、网上审查、网上反馈结果。", "content.platform_integration.one_network", True),
    ("支持申请人网上提交材料。", "content.platform_integration.one_network", False),
]


WORDINGS["a standard for connecting connects nothing and one entrance joins platforms"] = [
    # a standard for connecting sets a standard; it connects nothing
    ("出台政务服务平台接入规范和数据元标准。", "content.platform_integration", False),
    ("出台政务服务平台接入规范和数据元标准。", "task.platform", False),
    ("制定平台接入的统一技术要求。", "content.platform_integration", False),
    ("推动市级业务系统接入省网上政务服务平台。", "content.platform_integration", True),
    # one entrance for every service joins the platforms
    ("省网上政务服务平台是全省统一的网上办事入口。", "content.platform_integration", True),
]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # "this year" in a plan dated 2017, or dated by nothing, is 2017
        ("示例市2017年政务服务工作方案\n一、平台建设\n今年底前，建成一体化网上政务服务平台。", True),
        ("示例市政务服务工作方案\n一、平台建设\n今年底前，建成一体化网上政务服务平台。", True),
        # in a plan dated 2018 by its title, or under a heading dated 2018, it is 2018
        ("示例市2018年政务服务改革实施方案\n一、平台建设\n今年底前，建成一体化网上政务服务平台。", False),
        ("示例县2017年工作总结及2018年工作打算\n二、2018年工作打算\n年内建成一体化网上政务服务平台。", False),
        # a year written out in digits stays what it says
        ("示例市2018年政务服务改革实施方案\n一、平台建设\n2017年底前，建成一体化网上政务服务平台。", True),
        # an undated text that writes out only later years (2021, 2022) is not of 2017; one that writes 2018 and
        # 2020 targets may be
        ("一、平台\n2021年底前，完成窗口改造。今年底前，建成一体化网上政务服务平台。到2022年底，实现无纸化。", False),
        ("一、平台建设\n今年底前，建成一体化网上政务服务平台。到2018年底，全面推开；到2020年，全面建成。", True),
    ],
)
def test_this_year_is_the_year_the_plan_or_its_heading_is_dated_by(codebook, text, found):
    assert any(code == "goal2017.platform" for _, code in shipped(codebook, text)) is found


def test_the_national_goal_reported_is_not_the_plans_own(codebook):
    reported = "国务院提出，到2020年要建成整体联动、部门协同、一网办理的“互联网+政务服务”体系。"
    assert shipped(codebook, reported) == set()
    own = "到2020年，全省建成整体联动、部门协同、一网办理的“互联网+政务服务”体系。"
    assert any(code == "goal2020.one_network" for _, code in shipped(codebook, own))


WORDINGS["quoted formula halves items of power accept first and a distant assessment"] = [
    # the national formula with its halves quoted (“一号”申请、“一窗”受理、“一网”通办), as plans often print it
    ("逐步实现“一号”申请、“一窗”受理、“一网”通办。", "content.platform_integration.one_number", True),
    ("逐步实现“一号”申请、“一窗”受理、“一网”通办。", "content.platform_integration.one_window", True),
    ("逐步实现“一号”申请、“一窗”受理、“一网”通办。", "content.platform_integration.one_network", True),
    ("开通“一号”热线，受理群众咨询。", "content.platform_integration.one_number", False),
    # the guidance's two kinds of items (行政权力事项、公共服务事项) sorted are the catalogue; the power list is not
    ("全面梳理正在行使的行政权力事项、公共服务事项。", "task.catalogue", True),
    ("编制权力清单和责任清单。", "task.catalogue", False),
    # accepting first and completing minor papers later cuts a step
    ("推行容缺受理，次要材料可在办结前补齐。", "content.reengineering", True),
    # the assessment may be named some words after 纳入
    ("将本项工作纳入县委、县政府对各单位的年度综合考评。", "task.assessment", True),
    ("将事项纳入平台统一管理，考核另行安排。", "task.assessment", False),
    # the national formula of data sharing (以共享为原则、不共享为例外)
    ("（一）共享为原则，不共享为例外。", "content.supporting_systems.data_sharing", True),
    # items deployed onto the platform use it
    ("年底前，各县完成办事指南编制并部署至省政务服务网。", "task.platform", True),
]


WORDINGS["progress told why a measure matters assessment criteria and a platform meeting commit to nothing"] = [
    ("在听取了有关部门推进全省网上政务服务平台建设的情况汇报后，会议对工作表示肯定。", "task.platform", False),
    ("省信息中心组织起草了省网上政务服务平台项目建设可行性研究报告。", "task.platform", False),
    ("组织起草省网上政务服务平台项目建设方案，加快平台建设。", "task.platform", True),
    ("省编办初步编制完成省级政务服务事项目录，正在检查核对。", "task.catalogue", False),
    ("编制并公布省级政务服务事项目录。", "task.catalogue", True),
    # why a measure matters, the criteria an assessment scores by and a meeting the platform names commit to nothing
    ("实施政务服务事项目录化管理是深化“放管服”改革的关键措施。", "task.catalogue", False),
    ("实施政务服务事项目录化管理，年底前公布省级事项目录。", "task.catalogue", True),
    ("制定科学、量化、可操作的考核标准。", "content.supporting_systems.standards", False),
    ("制定全省统一的政务服务事项办理标准。", "content.supporting_systems.standards", True),
    ("省政府召开省政务服务网第四次建设推进会。", "task.platform", False),
    ("年底前建成省政务服务网，召开全省推进会。", "task.platform", True),
]


WORDINGS["a principle's paraphrase counts on its label line only"] = [
    # a breakthrough by innovation, or building under one plan, is a principle on a principle's label line
    ("二、基本原则\n（一）问题导向、创新突破。", "prin.open_innovation", True),
    ("（三）主要任务\n力争在关键环节取得创新突破。", "prin.open_innovation", False),
    ("二、基本原则\n（三）统一标准，统筹建设。", "prin.coordinated_planning", True),
    ("二、基本原则\n省市县统筹建设、分级负责，数据资源一次采集、多方复用。", "prin.coordinated_planning", False),
]


WORDINGS["a level of standardisation a published item list and proofs cut as a sixth round of readers code them"] = [
    # standardisation as a level or one quality of several sets no standard; making the items standard does
    ("到2017年底，政务服务标准化、网络化水平明显提升。", "content.supporting_systems.standards", False),
    ("到2017年底，政务服务标准化、网络化水平明显提升。", "goal2017.standardised", True),
    ("推动办事材料目录化、标准化、电子化。", "content.supporting_systems.standards", False),
    ("推进政务服务事项标准化，统一事项名称和编码。", "content.supporting_systems.standards", True),
    # the 2017 formula publishes the item list; a rate or an item's data put online does not
    # (the catalogue since 2.29 no longer: rounds thirty-three to forty-one made it one reader call of six)
    ("年底前全面公开市县两级政务服务事项。", "task.catalogue", False),
    ("政务服务事项网上公开率达到100%。", "task.catalogue", False),
    # proofs and formalities cut are reengineering, in a principle's reverse order too
    ("坚决砍掉各类没有依据的证明和繁琐手续。", "content.reengineering", True),
    ("二、基本原则\n（三）坚持共享协同。", "prin.coordinated_development", True),
    # why a reform matters, and what it is, commit to nothing
    ("转型是深化“最多跑一次”改革、转变职能，建设服务型政府的重要举措。", "content.reengineering", False),
    ("数字化转型是以数据共享推动业务协同、重塑运行方式的过程。", "content.supporting_systems.data_sharing", False),
    ("统一事项编码，为实现信息共享和业务协同奠定基础。", "content.supporting_systems.data_sharing", False),
    ("推动部门间信息共享和业务协同。", "content.supporting_systems.data_sharing", True),
    # a platform named by its system, courier delivery in a list of what one network unifies
    ("年内搭建全区统一的政务服务信息系统平台。", "task.platform", True),
    ("构建统一身份认证、统一公共支付、统一物流快递的网上服务体系。", "content.service_model", True),
    ("到2020年，政府决策科学化、治理精准化水平明显提高。", "goal2020.smart_services", False),
]


WORDINGS["queues to the network portals shares online and standards followed as rounds seven to ten code them"] = [
    # a seventh round: the network instead of queues, a slogan's portal, orientations, identity authentication
    ("推动政务服务从“线下跑”向“网上办”转变。", "content.platform_integration.one_network", True),
    ("2018年，建成全市政务“一网通办”总门户。", "task.platform", True),
    ("由市级统一建设总门户和公共支撑系统。", "task.platform", False),
    ("到2020年，实现共享服务平台、共享服务信息、共享服务成果。", "content.supporting_systems.data_sharing", False),
    ("以方便企业和群众办事创业为导向，推进掌上办事。", "prin.demand_led", True),
    ("二、基本原则\n——坚持体制创新与技术应用相互促进。", "prin.open_innovation", True),
    ("（三）主要任务\n推进审批制度和机制创新。", "prin.open_innovation", False),
    ("健全电子证照和身份认证管理。", "content.platform_integration.one_number", True),
    ("按照国家事项、身份认证、电子证照等标准规范，完善省级平台。", "content.platform_integration.one_number", False),
    ("到2017年，建成一体化平台，推进网上办事。", "content.platform_integration.one_network", True),
    ("将网上办事推进情况纳入部门年度考评。", "content.platform_integration.one_network", False),
    ("在网上办事大厅手机版上拓展社保、公积金等服务。", "content.service_model", True),
    ("推进网上办事，对我市意义尤为重大。", "content.platform_integration.one_network", False),
    # an eighth round: a need-driven principle, standardisation completed, a hall renovated to a standard
    ("坚持需求主导，强化顶层设计。", "prin.demand_led", True),
    ("到2018年5月底，完成全市政务服务事项标准化。", "content.supporting_systems.standards", True),
    ("各市要在年内完成大厅标准化改造。", "content.supporting_systems.standards", False),
    # a ninth round: a share handled online, and (since 2.21: rounds six to thirteen coded 16 sentences of 17) a
    # share that can be; a new service model; problems named
    ("到2017年底，网上办理事项超过85%。", "content.platform_integration.one_network", True),
    ("2018年底前，市级政务服务事项网上可办率达到90%以上。", "content.platform_integration.one_network", True),
    ("目前，全市依申请事项网上可办率均达到了90%。", "content.platform_integration.one_network", False),
    ("全面推广上门办、预约办等新型服务模式。", "content.service_model", True),
    ("重构跨部门、跨层级、跨区域协同办事流程。", "content.cross_level", True),
    ("为破解数据共享不充分、办事不方便等问题，开展专项行动。", "content.supporting_systems.data_sharing", False),
    # a tenth round: building to the national standard sets none; progress counted to a date is background
    ("依据国家一体化平台建设标准规范及相关安排，年内建成市级平台。", "content.supporting_systems.standards", False),
    ("制定全市一体化平台建设标准规范及运行管理办法。", "content.supporting_systems.standards", True),
    ("截至5月底，已基本建成联通各部门的数据共享交换平台。", "content.supporting_systems.data_sharing", False),
]


@pytest.mark.parametrize(
    ("text", "code", "found"),
    [
        pytest.param(text, code, found, id=f"{behaviour} [{index}]")
        for behaviour, cases in WORDINGS.items()
        for index, (text, code, found) in enumerate(cases)
    ],
)
def test_a_wording_is_coded_as_a_reader_codes_it(codebook, text, code, found):
    sentence = text.split("\n")[-1]  # a wording may stand under a heading line, which sets its scope
    assert ((sentence, code) in shipped(codebook, text)) is found
