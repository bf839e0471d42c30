"""The codebook: the shipped one is complete and self-consistent; a bad one stops with one line naming file and line."""

from __future__ import annotations

import re
import signal
from functools import partial
from pathlib import Path

import pytest
import yaml

from provincial_plans.coding.coder import Coder
from provincial_plans.coding.examples import load_checked_codebook
from provincial_plans.coding.ingest import Sentence, normalise, structure
from provincial_plans.coding.matcher import Matcher
from provincial_plans.core.errors import InputError
from provincial_plans.core.timelimit import within
from provincial_plans.model.codebook import Code, Codebook, load_codebook
from provincial_plans.model.patterns import (
    MAX_PATTERN_LENGTH,
    MAX_WAYS,
    UnsafePattern,
    alternatives_at_top,
    pattern_problem,
)

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "data" / "codebook.yaml"

# The 0.1.0 codes, with the labels reports and facts.csv rely on: kept exactly.
LABELS_0_1_0 = {
    "task.platform": ("一体化网上政务服务平台", "Integrated online service platform"),
    "task.catalogue": ("政务服务事项目录", "Catalogue of service items"),
    "task.assessment": ("绩效考核机制", "Performance assessment mechanism"),
    "task.portal_column": ("省政府门户网站专栏", "Special column on the provincial portal"),
    "content.reengineering": ("服务流程再造", "Service reengineering"),
    "content.platform_integration": (
        "平台整合（一号一窗一网）",
        "Platform integration (one number, one window, one network)",
    ),
    "content.supporting_systems": (
        "配套制度（数据共享、标准、安全）",
        "Supporting rules and systems (data sharing, standards, security)",
    ),
    "content.cross_level": ("跨层级服务", "Cross-level services"),
    "content.smart_city": ("新型智慧城市", "New smart cities"),
    "content.service_model": ("服务模式创新", "Service-model innovation"),
    "prin.national_four_consistent": ("与国家四项原则基本一致", "Principles follow the four national ones"),
    "prin.convenience": ("高效便民", "Efficient and convenient"),
    "prin.transparency": ("规范透明", "Standardised and transparent"),
    "prin.co_construction": ("共建共享", "Co-construction and sharing"),
    "prin.demand_led": ("需求导向", "Demand-led"),
    "goal2017.distinct": ("特色年度目标", "Distinctive 2017 goal"),
    "mech.leadership.clear_lead_units": ("明确牵头单位和责任单位", "Lead and responsible units named"),
    "mech.supervision.online": ("在线电子监察", "Online electronic supervision"),
    "mech.supervision.realtime": ("实时数据监测", "Real-time data monitoring"),
    "mech.exploration.pilots": ("试点先行再推广", "Pilots first, then roll-out"),
}

ADDED_1_0_0 = {
    "prin.coordinated_planning",
    "prin.problem_orientation",
    "prin.coordinated_development",
    "prin.open_innovation",
    "goal2017.platform",
    "goal2017.disclosure",
    "goal2017.standardised",
    "goal2020.one_network",
    "goal2020.smart_services",
    "mech.leadership.provincial_lead",
    "mech.mobilisation.budget",
    "mech.mobilisation.special_funds",
    "mech.mobilisation.gov_business",
    "mech.mobilisation.purchase_services",
    "mech.supervision.assessment",
    "mech.supervision.multi_actor",
    "content.platform_integration.one_number",
    "content.platform_integration.one_window",
    "content.platform_integration.one_network",
    "content.supporting_systems.data_sharing",
    "content.supporting_systems.standards",
    "content.supporting_systems.security",
}


# ------------------------------------------------------------------------------------------ the shipped codebook


def test_version_and_families(codebook):
    changelog = (ROOT / "data" / "codebook.CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)[1] == codebook.version  # newest entry
    assert {code.id for code in codebook.codes if code.origin == "provincial"} == {
        "prin.convenience",
        "prin.transparency",
        "prin.co_construction",
        "prin.demand_led",
        "goal2017.distinct",
    }
    assert [family["id"] for family in codebook.families] == ["task", "content", "prin", "goal2017", "goal2020", "mech"]
    assert f"## [{codebook.version}]" in (ROOT / "data" / "codebook.CHANGELOG.md").read_text(encoding="utf-8")


def test_existing_codes_and_labels_are_kept(codebook):
    by_id = codebook.by_id()
    for code_id, (zh, en) in LABELS_0_1_0.items():
        assert by_id[code_id].label == {"zh": zh, "en": en}, code_id


def test_the_framework_codes_are_there(codebook):
    assert ADDED_1_0_0 - set(codebook.by_id()) == set()
    assert {code.id for code in codebook.codes if code.coded_by == "human"} == {
        "prin.national_four_consistent",
        "goal2017.distinct",
    }
    for code in codebook.codes:
        assert code.definition["zh"] and code.definition["en"], code.id
        assert code.family == code.id.split(".")[0]


def test_keywords_and_examples_are_in_normalised_form(codebook):
    """Matching runs on normalised text: a keyword that normalisation would change could never match."""
    for code in codebook.codes:
        for text in (*code.keywords, *code.examples["positive"], *code.examples["negative"]):
            assert normalise(text) == text, (code.id, text)


def test_no_keyword_of_a_code_contains_another(codebook):
    """A keyword inside a longer one of the same code (sub-codes included) would only duplicate evidence rows."""
    effective: dict[str, set[str]] = {code.id: set(code.keywords) for code in codebook.text_codes()}
    for code in codebook.text_codes():
        if code.parent in effective:
            effective[code.parent] |= set(code.keywords)
    for code_id, keywords in effective.items():
        for keyword in keywords:
            inside = [other for other in keywords if other != keyword and other in keyword]
            assert not inside, (code_id, keyword, inside)


def test_every_negative_example_is_a_near_miss_the_coder_rejects(codebook):
    """Each negative example holds a candidate of its code (a keyword or a proximity match) that a rule rejects —
    an exclusion, a mask, the scope, a background heading or the year — so the example pins that rule."""
    coder = Coder(codebook)
    for code in codebook.text_codes():
        for example in code.examples["negative"]:
            rows = coder.code([("", "example", structure(normalise(example), "example"))], explain=True)
            rejected = [row["reason"] for row in rows if row["code"] == code.id and not row["counted"]]
            assert rejected, (code.id, example)
        if code.exclusions:
            assert code.examples["negative"], code.id


# ------------------------------------------------------------------------------------------------- validation

MINIMAL = """\
version: 1.0.0
families:
  - id: task
    label: {zh: 任务, en: Tasks}
  - id: mech
    label: {zh: 机制, en: Mechanisms}
codes:
  - id: task.platform
    label: {zh: 平台, en: Platform}
    definition: {zh: 建设平台, en: Builds the platform}
    keywords: [政务服务平台, 办事大厅]
    exclusions:
      - '尚未建成'
    examples:
      positive: [建成政务服务平台。]
      negative: [尚未建成政务服务平台。]
  - id: mech.pilots
    label: {zh: 试点, en: Pilots}
    definition: {zh: 开展试点, en: Pilots first}
    keywords: [试点]
    exclusions: []
    examples: {positive: [开展试点。], negative: []}
  - id: task.judged
    label: {zh: 判断, en: Judged}
    definition: {zh: 编码员判断, en: A coder's judgement}
    keywords: []
    exclusions: []
    examples: {positive: [], negative: []}
    coded_by: human
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing needle: found independently of the loader's YAML marks."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_checked_codebook(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    assert "codebook.yaml, line " in message
    return message


def test_minimal_codebook_loads(tmp_path):
    codebook = load_codebook(write(tmp_path, MINIMAL))
    assert [code.id for code in codebook.text_codes()] == ["task.platform", "mech.pilots"]
    assert codebook.by_id()["task.platform"].keywords == ("政务服务平台", "办事大厅")
    assert [code.id for code in codebook.in_family("task")] == ["task.platform", "task.judged"]


def test_schema_error_names_the_code(tmp_path):
    text = MINIMAL.replace("    definition: {zh: 开展试点, en: Pilots first}\n", "")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, 'id: mech.pilots')}: codes.1: 'definition' is a required property" in message


def test_schema_error_in_a_field(tmp_path):
    text = MINIMAL.replace("keywords: [试点]", "keywords: 试点")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, 'keywords: 试点')}: codes.1.keywords: '试点' is not of type 'array'" in message


def test_duplicate_id_names_both_lines(tmp_path):
    text = MINIMAL.replace("  - id: mech.pilots\n", "  - id: task.platform\n")
    message = problem(tmp_path, text)
    first, second = line_of(text, "id: task.platform"), line_of(text, "id: task.platform", 2)
    assert f"line {second}: duplicate code id 'task.platform' (first at line {first})" in message


def test_empty_keyword(tmp_path):
    empty = "      - ''"
    text = MINIMAL.replace("keywords: [试点]", "keywords:\n      - 试点\n" + empty)
    message = problem(tmp_path, text)
    assert f"line {line_of(text, empty)}: code 'mech.pilots': empty keyword" in message


def test_keyword_with_a_line_break(tmp_path):
    quoted = '"试\\n点"'  # YAML's escape: the keyword holds a real line break
    text = MINIMAL.replace("keywords: [试点]", f"keywords: [{quoted}]")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, quoted)}: code 'mech.pilots': keyword '试\\n点' contains a line break" in message


def test_unknown_family(tmp_path):
    text = MINIMAL.replace("  - id: mech.pilots\n", "  - id: goal.pilots\n")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, 'id: goal.pilots')}: code 'goal.pilots' belongs to unknown family 'goal'" in message


def test_id_prefix_must_be_the_family(tmp_path):
    text = MINIMAL.replace("  - id: mech.pilots\n", "  - id: mech.pilots\n    family: task\n")
    message = problem(tmp_path, text)
    assert (
        f"line {line_of(text, 'id: mech.pilots')}: code 'mech.pilots': id prefix 'mech' is not its family 'task'"
        in (message)
    )


def test_text_code_needs_keywords_and_human_code_has_none(tmp_path):
    text = MINIMAL.replace("keywords: [试点]", "keywords: []")
    assert "code 'mech.pilots' has no keywords or proximity rules (say `coded_by: human`" in problem(tmp_path, text)
    human = "    keywords: []\n    exclusions: []\n    examples: {positive: [], negative: []}\n    coded_by: human"
    text = MINIMAL.replace(human, human.replace("keywords: []", "keywords: [判断]"))
    message = problem(tmp_path, text)
    assert (
        f"line {line_of(text, '- id: task.judged')}: code 'task.judged' is coded_by human but has keywords, "
        "proximity rules, a scope or a year" in message
    )


def test_bad_regex_gives_the_re_error(tmp_path):
    text = MINIMAL.replace("      - '尚未建成'", "      - '(?:尚未建成'")
    message = problem(tmp_path, text)
    assert (
        f"line {line_of(text, '(?:尚未建成')}: code 'task.platform': exclusion '(?:尚未建成' is not a valid regular"
        in (message)
    )
    assert "(missing ), unterminated subpattern at position 0)" in message


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+",
        r"(.*)*",
        r"(\w+)*",
        r"(?:未(?:建成)+)+",
        r"(?:[^，]{1,9}平台)+",
        r"((ab)*c)+",
        r"(.*a){40}",  # issue 17: a fixed count around a repeat, 2^n on a sentence of n characters
        r"(ab?)+",  # an optional part varies the length too
        r"(?:x{1,3})+",
        r"\A(?:a(?=.*b))+",  # a lookahead that reads to the end, once a round, even anchored
        r"(?:[^，]{0,12}平台){2}",  # bounded, but the rule is simple: no repeat of varying count inside a repeat
    ],
)
def test_nested_quantifiers_are_rejected(tmp_path, pattern):
    assert "nests a quantifier" in pattern_problem(pattern)
    text = MINIMAL.replace("      - '尚未建成'", f"      - '{pattern}'")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, pattern)}: code 'task.platform': exclusion" in message
    assert "which can make matching very slow" in message


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a|a)*", "repeats alternatives that can match the same text"),
        (r"(?:未|未)+", "repeats alternatives that can match the same text"),
        (r"(?:新建平台|[新旧]建平台)+", "repeats alternatives that can match the same text"),
        (r"(?:k|(?i:K))+", "repeats alternatives that can match the same text"),  # the same letter, case aside
        (r"(?:a|ab)+", "repeats a group whose alternatives differ in length"),
        (r"(?:未|尚未){2}", "repeats a group whose alternatives differ in length"),
        (r".*平台", "can restart at every character"),
        (r"未[^。]*平台", "can restart at every character"),  # 未 is in [^。]: quadratic on a run of 未
        (r"\s*x", "can restart at every character"),
        (r"x(?=.*y)", "can restart at every character"),
        (r"(?m)^.*x", "can restart at every character"),  # ^ of every line is no anchor
        (r"专栏\s*x\s*y", "has more than one unbounded repeat"),
        (r"\A.*x.*y", "has more than one unbounded repeat"),
        (r"[^，]{0,100}[^，]{0,100}", f"can try more than {MAX_WAYS} ways"),
        (r"(?:ab|[ab]c){0,14}", f"can try more than {MAX_WAYS} ways"),
    ],
)
def test_patterns_whose_search_can_grow_faster_than_the_sentence_are_rejected(pattern, reason):
    assert reason in pattern_problem(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:未|尚未)(?:建成|建立)[^，。；]{0,12}平台",
        r"\A(?![\s\S]*(?:2017年|今年))",
        r"(?:ab){3}",
        r"专栏\s*[0-9]",
        r"(?:标准化|规范化)(?:程度|水平)?(?:不高|不够)",
        r"\A.*x",  # anchored: one start, so one unbounded repeat reads the sentence once
        r"^.*x",
        r"专栏(?:ab)+",  # no character of ab is 栏: runs after each 专栏 never overlap
        r"未(?:建成|开通)+",
    ],
)
def test_ordinary_patterns_pass(pattern):
    assert pattern_problem(pattern) is None


def test_every_shipped_exclusion_is_proved_cheap(codebook):
    patterns = [pattern for code in codebook.codes for pattern in code.exclusions]
    assert len(patterns) > 50
    assert [pattern for pattern in patterns if pattern_problem(pattern) is not None] == []


def test_a_matcher_refuses_an_unsafe_pattern_that_no_codebook_file_checked():
    unchecked = Code(
        id="task.platform",
        family="task",
        label={"zh": "平台", "en": "Platform"},
        keywords=("平台",),
        exclusions=("(.*a){40}",),
        examples={"positive": ("平台",), "negative": ()},
    )
    with pytest.raises(UnsafePattern, match="nests a quantifier"):
        Matcher(Codebook("0.0.0", [{"id": "task"}], [unchecked]))


def test_a_document_over_the_coding_time_limit_is_named(codebook):
    sentences = [Sentence("d:0001", 0, 9, "建成政务服务平台。")]
    files = {"d": "data/2017/documents/x.txt"}
    rows = Coder(codebook).code([("beijing", "d", sentences)], seconds=60.0, files=files)
    assert [row["code"] for row in rows] == ["task.platform"]
    with pytest.raises(InputError) as caught:  # any scan takes longer than a nanosecond
        Coder(codebook).code([("beijing", "d", sentences)], seconds=1e-9, files=files)
    assert str(caught.value) == (
        "data/2017/documents/x.txt: coding this document took longer than 1e-09 s, the limit for one document "
        "(config max_coding_seconds)"
    )


def test_the_time_limit_stops_a_search_that_backtracks_for_seconds():
    """(.*a){28} on 26 a's backtracks about 15 s on these machines (3.4 times longer for each 2 more a's): the
    alarm of a 0.05 s limit must end it inside re's C loop, and leave no alarm or handler behind."""
    handler = signal.getsignal(signal.SIGALRM)
    assert within(0.05, partial(re.search, r"(.*a){28}", "a" * 26 + "b" * 30)) is None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler
    assert within(60.0, partial(re.search, "b", "ab")).span() == (1, 2)


# A named pattern (`patterns:`) written once and referred to by name in two places
SHARED = (
    MINIMAL.replace("families:\n", "patterns:\n  not_built:\n    - '尚未建成'\n    - '暂未(?:建成|开通)'\nfamilies:\n")
    .replace(
        "      - '尚未建成'\n    examples:\n      positive: [建成政务服务平台。]\n"
        "      negative: [尚未建成政务服务平台。]",
        "      - {pattern: not_built}\n    examples:\n      positive: [建成政务服务平台。]\n"
        "      negative: [尚未建成政务服务平台。, 网上办事大厅暂未开通。]",
    )
    .replace("    keywords: [试点]\n    exclusions: []", "    keywords: [试点]\n    exclusions: [{pattern: not_built}]")
)


def test_a_named_pattern_stands_for_its_patterns_in_every_code_that_names_it(tmp_path):
    codebook = load_checked_codebook(write(tmp_path, SHARED))  # the negative examples pass: both patterns apply
    platform, pilots = (codebook.by_id()[code] for code in ("task.platform", "mech.pilots"))
    assert platform.exclusions == pilots.exclusions == ("尚未建成", "暂未(?:建成|开通)")
    text = "试点平台暂未开通。"
    rows = Coder(codebook).code([("", "d", structure(normalise(text), "d"))], explain=True)
    assert [(row["code"], row["reason"]) for row in rows] == [("mech.pilots", "excluded: 暂未(?:建成|开通)")]


# A part several patterns share, written once and spliced in by (?&name)
SPLICED = (
    MINIMAL.replace("families:\n", "patterns:\n  not_yet: '(?:尚未|暂未)'\nfamilies:\n")
    .replace(
        "      - '尚未建成'\n    examples:\n      positive: [建成政务服务平台。]\n"
        "      negative: [尚未建成政务服务平台。]",
        "      - '(?&not_yet)建成'\n    examples:\n      positive: [建成政务服务平台。]\n"
        "      negative: [尚未建成政务服务平台。, 网上办事大厅暂未建成。]",
    )
    .replace("    keywords: [试点]\n    exclusions: []", "    keywords: [试点]\n    exclusions: ['(?&not_yet)开展']")
)


@pytest.mark.parametrize(
    ("base", "old", "new", "where", "expected"),
    [
        pytest.param(  # a misspelt name
            SHARED,
            "exclusions: [{pattern: not_built}]",
            "exclusions: [{pattern: not_bulit}]",
            "not_bulit",
            "code 'mech.pilots': exclusion refers to unknown pattern 'not_bulit' (not named under patterns:)",
            id="unknown name",
        ),
        pytest.param(  # a rule that would silently do nothing
            SHARED,
            "patterns:\n",
            "patterns:\n  pilot_words: '试点'\n",
            "pilot_words",
            "pattern 'pilot_words' is used nowhere",
            id="used nowhere",
        ),
        pytest.param(  # checked once, where it is written
            SHARED,
            "    - '暂未(?:建成|开通)'",
            "    - '(?:暂未(?:建成)+)+'",
            "(?:暂未(?:建成)+)+",
            "pattern 'not_built': '(?:暂未(?:建成)+)+' nests",
            id="slow pattern",
        ),
        pytest.param(
            SHARED,
            "exclusions: [{pattern: not_built}]",
            "exclusions: [{pattern: not_built, gap: 3}]",
            "gap: 3",
            "codes.1.exclusions.0: Additional properties are not allowed ('gap' was unexpected)",
            id="reference with more than a name",
        ),
        pytest.param(  # a misspelt name spliced
            SPLICED,
            "'(?&not_yet)开展'",
            "'(?&not_yte)开展'",
            "not_yte",
            "code 'mech.pilots': exclusion splices unknown pattern 'not_yte' (not named under patterns: above it)",
            id="unknown name spliced",
        ),
        pytest.param(  # a list has no one text to splice
            SPLICED,
            "  not_yet: '(?:尚未|暂未)'\n",
            "  not_yet:\n    - '尚未'\n    - '暂未'\n",
            "(?&not_yet)建成",
            "code 'task.platform': exclusion splices pattern 'not_yet', a list; only a pattern of one string can be",
            id="a list",
        ),
        pytest.param(  # 尚未|暂未建成 would exclude every 尚未
            SPLICED,
            "  not_yet: '(?:尚未|暂未)'\n",
            "  not_yet: '尚未|暂未'\n",
            "(?&not_yet)建成",
            "code 'task.platform': exclusion splices pattern 'not_yet', whose alternatives would leak into it",
            id="alternatives at the top",
        ),
        pytest.param(  # the table is read from the top, so no name can splice itself
            SPLICED,
            "  not_yet: '(?:尚未|暂未)'\n",
            "  not_built: '(?&not_yet)建成'\n  not_yet: '(?:尚未|暂未)'\n",
            "not_built:",
            "pattern 'not_built': splices unknown pattern 'not_yet' (not named under patterns: above it)",
            id="a name written below",
        ),
    ],
)
def test_a_bad_named_pattern_reference_or_splice_is_refused_at_its_line(tmp_path, base, old, new, where, expected):
    text = base.replace(old, new)
    assert f"line {line_of(text, where)}: {expected}" in problem(tmp_path, text)


def test_a_spliced_pattern_is_written_into_every_pattern_that_names_it(tmp_path):
    codebook = load_checked_codebook(write(tmp_path, SPLICED))  # the negative examples pass: 暂未 is spliced in
    platform, pilots = (codebook.by_id()[code] for code in ("task.platform", "mech.pilots"))
    assert (platform.exclusions, pilots.exclusions) == (("(?:尚未|暂未)建成",), ("(?:尚未|暂未)开展",))
    rows = Coder(codebook).code([("", "d", structure(normalise("试点工作暂未开展。"), "d"))], explain=True)
    assert [(row["code"], row["reason"]) for row in rows] == [("mech.pilots", "excluded: (?:尚未|暂未)开展")]


def test_a_pattern_is_checked_once_spliced_where_each_part_is_cheap_and_the_whole_is_not(tmp_path):
    written, spliced = "(?&not_yet)开展(?&not_yet)", r"(?:未\s*)开展(?:未\s*)"
    text = SPLICED.replace("'(?:尚未|暂未)'", r"'(?:未\s*)'").replace("'(?&not_yet)开展'", f"'{written}'")
    expected = f"code 'mech.pilots': exclusion {written!r} (spliced: {spliced!r}) has more than one unbounded repeat"
    assert f"line {line_of(text, written)}: {expected}" in problem(tmp_path, text)


@pytest.mark.parametrize(
    ("pattern", "cuts"),
    [
        ("尚未|暂未", True),
        ("(?:尚未|暂未)建成", False),
        ("建成(?:了)?|开通", True),
        ("[|]开通", False),  # a | in a class is a character
        (r"\|开通", False),
        ("[]|]开通", False),  # a ] first in a class is a character, so the class runs on to the next ]
        ("[^]|]开通", False),
        ("[]]|开通", True),
    ],
)
def test_alternatives_at_the_top_of_a_pattern_are_told_apart_from_grouped_ones(pattern, cuts):
    assert alternatives_at_top(pattern) is cuts


def test_no_long_part_of_a_pattern_is_written_out_in_three_patterns_of_the_shipped_codebook():
    """Eight principle codes once each carried the same 30-character tail: a shared part is spliced, (?&name)."""
    document = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    table = document["patterns"].values()
    written = [item for value in table for item in ([value] if isinstance(value, str) else value)]
    for code in [document["background"], *document["codes"]]:
        lists = [code.get("exclusions", []), code.get("ignore", []), (code.get("scope") or {}).get("cues", [])]
        written += [item for items in lists + [code.get("cues", [])] for item in items if isinstance(item, str)]
    holders: dict[str, set[str]] = {}
    for pattern in set(written):
        for start in range(len(pattern) - 29):
            holders.setdefault(pattern[start : start + 30], set()).add(pattern)
    assert {part: len(patterns) for part, patterns in holders.items() if len(patterns) > 2} == {}
    assert sum("(?&" in pattern for pattern in written) > 8  # the test reads the shipped file's own layout


def test_no_pattern_is_written_out_twice_in_the_shipped_codebook():
    """A rule several codes need is a named pattern: copies drift apart when one is mended."""
    document = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    places: dict[str, list[str]] = {}
    lists = [("background cues", document["background"].get("cues", []))]
    for code in document["codes"]:
        lists += [(f"{code['id']} {key}", code.get(key, [])) for key in ("exclusions", "ignore")]
        lists.append((f"{code['id']} cues", (code.get("scope") or {}).get("cues", [])))
    for where, items in lists:
        for item in items:
            if isinstance(item, str):
                places.setdefault(item, []).append(where)
    assert {pattern: where for pattern, where in places.items() if len(where) > 1} == {}
    assert "scored_item" in document["patterns"]  # the test reads the shipped file's own layout


def test_overlong_pattern(tmp_path):
    pattern = "尚未建成" + "|尚未建成" * 50
    assert len(pattern) > MAX_PATTERN_LENGTH
    text = MINIMAL.replace("      - '尚未建成'", f"      - '{pattern}'")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, pattern)}: code 'task.platform': exclusion" in message
    assert f"is longer than {MAX_PATTERN_LENGTH} characters ({len(pattern)})" in message


def test_failing_positive_example_is_named(tmp_path):
    text = MINIMAL.replace("positive: [建成政务服务平台。]", "positive: [建成政务服务平台。, 尚未建成办事大厅。]")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, '尚未建成办事大厅')}: code 'task.platform': positive example '尚未建成办事大厅。'" in (
        message
    )
    assert "is not coded by it" in message


def test_failing_negative_example_is_named(tmp_path):
    text = MINIMAL.replace("negative: [尚未建成政务服务平台。]", "negative: [尚未建成政务服务平台。, 建设办事大厅。]")
    message = problem(tmp_path, text)
    assert (
        f"line {line_of(text, '建设办事大厅')}: code 'task.platform': negative example '建设办事大厅。' is coded by it "
        "(keyword '办事大厅')" in message
    )


def test_text_code_needs_a_positive_example(tmp_path):
    text = MINIMAL.replace("examples: {positive: [开展试点。], negative: []}", "examples: {positive: [], negative: []}")
    message = problem(tmp_path, text)
    assert f"line {line_of(text, 'examples: {positive: [], negative: []}')}: code 'mech.pilots' has no positive" in (
        message
    )


def test_yaml_syntax_error(tmp_path):
    text = MINIMAL.replace("keywords: [试点]", "keywords: [试点")
    assert re.search(r"codebook\.yaml, line \d+: YAML syntax error", problem(tmp_path, text))
