"""Outline and masks: every sentence knows its section, headings, paragraph and list lead-in, and the spans that
must not code (cited titles, offices, header and signature). All texts are synthetic, written for these tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from provincial_plans.coding.ingest import (
    ManifestEntry,
    Sentence,
    ingest_document,
    normalise,
    structure,
    write_sentences,
)
from provincial_plans.coding.masks import sentence_masks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def places(text: str) -> list[tuple[str, str, tuple[str, ...], bool]]:
    """(sentence, section, headings, heading) of each sentence of a normalised text."""
    return [(s.text, s.section, s.headings, s.heading) for s in structure(text, "t")]


def by_text(sentences: list[Sentence]) -> dict[str, Sentence]:
    return {sentence.text: sentence for sentence in sentences}


def masked(text: str) -> list[tuple[str, str]]:
    """The masked substrings of a sentence with their reasons."""
    return [(text[start:end], reason) for start, end, reason in sentence_masks(text)]


# --------------------------------------------------------------------------------------------------- outline


def test_sections_and_headings_follow_the_numbering():
    text = "\n".join(
        [
            "一、主要任务",
            "（一）推进平台整合",
            "1. 统一身份认证",
            "（1）建设认证系统，实现一次认证。",
            "①完善用户库。",
            "②推广电子证照。",
            "二、保障措施",
            "加强组织领导。",
        ]
    )
    assert places(text) == [
        ("一、主要任务", "一", ("主要任务",), True),
        ("（一）推进平台整合", "一/（一）", ("主要任务", "推进平台整合"), True),
        ("1. 统一身份认证", "一/（一）/1", ("主要任务", "推进平台整合", "统一身份认证"), True),
        ("（1）建设认证系统，实现一次认证。", "一/（一）/1/（1）", ("主要任务", "推进平台整合", "统一身份认证"), False),
        ("①完善用户库。", "一/（一）/1/（1）/①", ("主要任务", "推进平台整合", "统一身份认证"), False),
        ("②推广电子证照。", "一/（一）/1/（1）/②", ("主要任务", "推进平台整合", "统一身份认证"), False),
        ("二、保障措施", "二", ("保障措施",), True),
        ("加强组织领导。", "二", ("保障措施",), False),
    ]  # fmt: skip


def test_a_skipped_level_nests_under_what_is_open_and_levels_go_by_first_appearance():
    # Section 一 goes straight to 1. items; section 二 then uses （一） under it and 1. under that: （一） was
    # seen after 1., so it ranks below it, as the document first showed its reader.
    text = "一、总体要求\n1. 建成平台。\n2. 公开事项。\n二、主要任务\n（一）推进共享\n1. 建设交换平台。"
    assert [(s, section) for s, section, _, _ in places(text)] == [
        ("一、总体要求", "一"),
        ("1. 建成平台。", "一/1"),
        ("2. 公开事项。", "一/2"),
        ("二、主要任务", "二"),
        ("（一）推进共享", "二/（一）"),
        ("1. 建设交换平台。", "二/1"),
    ]


def test_variant_markers_parenthesised_digits_article_numbers():
    text = "第一章 总则\n第一条 为规范政务服务，制定本办法。\n⑴建设平台。\n⒈推进共享。"
    assert [section for _, section, _, _ in places(text)] == [
        "第一章",
        "第一章/第一条",
        "第一章/第一条/⑴",
        "第一章/第一条/⑴/⒈",
    ]


def test_run_in_heading_is_a_sentence_of_its_own_and_heads_its_body():
    text = (
        "（一）指导思想。全面贯彻新发展理念，推进数据共享。\n（二）工作目标：到2017年底，建成省级平台；实现数据共享。"
    )
    assert places(text) == [
        ("（一）指导思想。", "（一）", ("指导思想",), True),
        ("全面贯彻新发展理念，推进数据共享。", "（一）", ("指导思想",), False),
        ("（二）工作目标：", "（二）", ("工作目标",), True),
        ("到2017年底，建成省级平台；", "（二）", ("工作目标",), False),
        ("实现数据共享。", "（二）", ("工作目标",), False),
    ]


def test_dash_principles_are_headings_under_the_principles_section():
    text = "（二）基本原则。\n——坚持统筹规划。强化顶层设计，避免重复建设。\n——坚持问题导向。着力解决办事难问题。"
    rows = places(text)
    assert rows[0] == ("（二）基本原则。", "（二）", ("基本原则",), True)  # alone on its line, body below it
    assert rows[1:] == [
        ("——坚持统筹规划。", "（二）", ("基本原则", "坚持统筹规划"), True),
        ("强化顶层设计，避免重复建设。", "（二）", ("基本原则", "坚持统筹规划"), False),
        ("——坚持问题导向。", "（二）", ("基本原则", "坚持问题导向"), True),
        ("着力解决办事难问题。", "（二）", ("基本原则", "坚持问题导向"), False),
    ]


def test_a_task_item_is_no_heading_but_holds_its_continuation():
    text = (
        "一、主要任务\n（一）全面梳理政务服务事项，编制并公布事项目录。\n各市县同步梳理本级事项。\n（二）推进流程再造。"
    )
    assert places(text)[1:3] == [
        ("（一）全面梳理政务服务事项，编制并公布事项目录。", "一/（一）", ("主要任务",), False),
        ("各市县同步梳理本级事项。", "一/（一）", ("主要任务",), False),
    ]


def test_short_items_of_a_list_stay_items_above_body_text():
    # "2. …。" alone above a body line would look like a heading, but the item before it at its level is an item.
    text = "1. 建成省级平台。\n2. 政务服务事项全部公开。\n同时做好宣传工作。"
    assert [heading for _, _, _, heading in places(text)] == [False, False, False]


def test_same_items_on_one_line_are_items():
    assert [heading for _, _, _, heading in places("（一）建设一体化平台。（二）推动数据共享。")] == [False, False]


def test_text_without_structure_gets_empty_sections_and_headings():
    text = "各地要加快推进政务服务平台建设。\n推动数据共享，提升服务效率。"
    assert places(text) == [
        ("各地要加快推进政务服务平台建设。", "", (), False),
        ("推动数据共享，提升服务效率。", "", (), False),
    ]


def test_clauses_of_one_line_share_its_paragraph_number():
    text = "一、工作目标\n到2017年底，建成省级平台；实现数据共享；全面公开事项。\n到2020年，建成一体化体系。"
    assert [(s.text, s.paragraph) for s in structure(text, "t")] == [
        ("一、工作目标", 1),
        ("到2017年底，建成省级平台；", 2),
        ("实现数据共享；", 2),
        ("全面公开事项。", 2),
        ("到2020年，建成一体化体系。", 3),
    ]


def test_blank_lines_do_not_count_as_paragraphs():
    assert [s.paragraph for s in structure("甲。\n\n乙。", "t")] == [1, 2]


def test_lead_in_sentence_leads_its_numbered_items_and_their_continuations():
    text = (
        "（三）工作目标\n2017年工作目标：\n1. 建成平台。\n各市同步推进。\n2. 全面公开事项。\n（四）主要任务\n推进共享。"
    )
    sentences = structure(text, "t")
    lead = sentences[1].id
    assert [(s.text, s.lead) for s in sentences] == [
        ("（三）工作目标", ""),
        ("2017年工作目标：", ""),
        ("1. 建成平台。", lead),
        ("各市同步推进。", lead),
        ("2. 全面公开事项。", lead),
        ("（四）主要任务", ""),
        ("推进共享。", ""),
    ]


def test_a_lead_in_of_items_on_the_same_line():
    sentences = structure("任务：1、建平台2、通数据", "t")
    assert [(s.text, s.lead) for s in sentences] == [("任务：", ""), ("1、建平台", "t:0001"), ("2、通数据", "t:0001")]


def test_yi_shi_lists_take_their_lead_in():
    text = (
        "到2020年，实现以下目标：\n一是建成统一身份认证体系；二是推行一窗受理。\n三是实现一网通办。\n另外，加强宣传。"
    )
    sentences = structure(text, "t")
    assert [s.lead for s in sentences] == ["", "t:0001", "t:0001", "t:0001", ""]
    run_on = structure("主要目标：一是建成平台；二是推行一窗受理；三是实现一网通办。\n其他工作。", "t")
    assert [s.lead for s in run_on] == ["", "t:0001", "t:0001", ""]


def test_a_colon_without_a_list_after_it_leads_nothing():
    sentences = structure("省政府要求：\n各地加快推进平台建设。\n1. 本条不是上句的列表项", "t")
    assert [s.lead for s in sentences] == ["", "", ""]


def test_an_appendix_starts_the_outline_afresh():
    text = "三、保障措施\n（一）加强领导。\n附件1\n重点任务分工表\n1. 建设平台。"
    assert [(section, headings) for _, section, headings, _ in places(text)][2:] == [
        ("附件1", ("附件1",)),
        ("附件1", ("附件1",)),
        ("附件1/1", ("附件1",)),
    ]


def test_the_notice_fixture_outline():
    """A whole notice: header and signature outside every section, the plan's own outline, leads and masks."""
    text, sentences = ingest_document(FIXTURES / "synthetic_notice.txt", "n")
    found = by_text(sentences)
    header = [
        "示政办发〔2017〕12号",
        "各市、县人民政府，省政府各部门、各直属机构：",
        "2017年3月1日",
        "（此件公开发布）",
    ]
    closing = ["抄送：省委办公厅，省人大常委会办公厅。", "示例省人民政府办公厅 2017年3月2日印发"]
    for line in header + closing:
        assert found[line].section == "" and found[line].masks == ((0, len(line), "signature"),), line
    transmittal = next(s for s in sentences if s.text.startswith("经省人民政府同意"))
    assert transmittal.masks == ((0, len(transmittal.text), "signature"),)
    title = found["示例省加快推进“互联网+政务服务”工作实施方案"]
    assert title.heading and title.headings == (title.text,) and title.masks == ((0, len(title.text), "title"),)
    assert found["——坚持问题导向。"].headings == ("总体要求", "基本原则", "坚持问题导向")
    assert found["着力解决群众办事难问题。"].section == "一/（二）"
    goal = found["到2018年底，实现数据共享；"]
    assert (goal.section, goal.headings, goal.paragraph) == ("一/（三）", ("总体要求", "工作目标"), 17)
    assert found["2. 政务服务事项全部向社会公开。"].lead == found["2017年工作目标："].id
    assert found["二是推行一窗受理；"].lead == next(s.id for s in sentences if s.text.startswith("主要目标："))
    dated = found["到2017年12月31日前，建成省级数据共享交换平台。"]
    assert dated.masks == () and dated.section == "二/（二）"  # a date in a goal is no signature
    assignment = next(s for s in sentences if s.text.startswith("（省政务服务办牵头"))
    assert [assignment.text[a:b] for a, b, _ in assignment.masks] == ["省政务服务办", "省发展改革委", "省财政厅"]
    assert found["重点任务分工表"].section == "附件1"
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert all(0 <= a < b <= len(sentence.text) for a, b, _ in sentence.masks)


# ---------------------------------------------------------------------------------------- formats and styles


@pytest.mark.parametrize("name", ["synthetic_outline.docx", "synthetic_outline.html"])
def test_heading_styles_bold_paragraphs_and_bold_run_ins(name):
    text, sentences = ingest_document(FIXTURES / name, "s")
    found = by_text(sentences)
    assert found["一、总体要求"].heading and found["一、总体要求"].section == "一"
    assert found["基本原则"].heading and found["基本原则"].headings == ("总体要求", "基本原则")
    assert found["坚持问题导向。"].heading  # the bold phrase that starts its paragraph
    assert found["着力解决群众办事难问题。"].headings == ("总体要求", "基本原则", "坚持问题导向")
    assert not found["着力解决群众办事难问题。"].heading
    assert found["工作目标："].heading  # a bold run-in ending in ：, cut from its body
    assert found["到2017年底，建成省级平台；"].headings == ("总体要求", "基本原则", "工作目标")
    assert not found["推进平台整合，强调数据共享。"].heading  # bold in the middle is emphasis
    assert not found["牵头单位"].heading  # a bold table cell is a column head
    assert found["推进平台整合，强调数据共享。"].headings == ("主要任务",)
    assert normalise(text) == text and "\ufdd1" not in text


def test_docx_title_and_outline_level_styles():
    sentences = by_text(ingest_document(FIXTURES / "synthetic_outline.docx", "d")[1])
    title = sentences["示例省加快推进“互联网+政务服务”工作实施方案"]
    assert title.heading and title.section == "" and title.masks == ((0, len(title.text), "title"),)
    assert sentences["重点工作"].heading  # a style with outline level 2 is a heading


def test_html_single_h1_is_the_page_title_and_encloses_nothing():
    sentences = ingest_document(FIXTURES / "synthetic_outline.html", "h")[1]
    assert sentences[0].text == "合成测试页面（synthetic test fixture）" and sentences[0].heading
    assert sentences[1].headings == ()


def test_noncharacters_in_a_document_cannot_pose_as_heading_marks(tmp_path):
    path = tmp_path / "synthetic_marks.txt"
    path.write_text("合成测试（synthetic test fixture）。\n\ufdd1推进数据共享。\n甲\ufdd5乙。", encoding="utf-8")
    text, sentences = ingest_document(path, "m")
    assert [(s.text, s.heading) for s in sentences] == [
        ("合成测试（synthetic test fixture）。", False),
        ("推进数据共享。", False),
        ("甲乙。", False),
    ]


def test_sentences_json_carries_outline_and_masks(tmp_path):
    entry = ManifestEntry("beijing", "bj", "合成", "", "2017", FIXTURES / "synthetic_notice.txt", "", 3)
    text, sentences = ingest_document(entry.file, entry.doc_id)
    target = tmp_path / "bj.json"
    write_sentences(target, entry, text, sentences)
    rows = json.loads(target.read_text(encoding="utf-8"))["sentences"]
    assert set(rows[0]) == {
        "id",
        "start",
        "end",
        "text",
        "section",
        "headings",
        "heading",
        "paragraph",
        "lead",
        "masks",
    }
    assert [Sentence.from_row(row) for row in rows] == sentences
    principle = next(row for row in rows if row["text"] == "——坚持统筹规划。")
    assert principle["section"] == "一/（二）" and principle["headings"] == ["总体要求", "基本原则", "坚持统筹规划"]
    assert Sentence.from_row({"id": "x:0001", "start": 0, "end": 1, "text": "甲"}).section == ""  # older rows


# ----------------------------------------------------------------------------------------------------- masks


def test_cited_titles_are_masked_with_their_brackets_and_nested_titles():
    sentence = "依据《关于印发〈示例方案〉的通知》和《数据共享办法》，推进数据共享。"
    assert masked(sentence) == [("《关于印发〈示例方案〉的通知》", "title"), ("《数据共享办法》", "title")]
    assert masked("学习《关于《数据共享》的说明》。") == [("《关于《数据共享》的说明》", "title")]


def test_a_title_bracket_never_closed_masks_nothing():
    assert masked("引用《未闭合的标题，推进数据共享。") == []
    assert masked("》推进数据共享《") == []


def test_assignment_parentheses_mask_the_units_and_keep_the_roles():
    sentence = "推进数据共享。（省政务服务办牵头，省发展改革委、省财政厅配合）"
    spans = sentence_masks(sentence)
    assert [(sentence[a:b], reason) for a, b, reason in spans] == [
        ("省政务服务办", "office"),
        ("省发展改革委", "office"),
        ("省财政厅", "office"),
    ]
    unmasked = "".join(char for index, char in enumerate(sentence) if not any(a <= index < b for a, b, _ in spans))
    assert "牵头" in unmasked and "配合" in unmasked and "推进数据共享" in unmasked


@pytest.mark.parametrize(
    ("sentence", "units"),
    [
        (
            "建设统一平台（责任单位：省政务服务办、省发展改革委；完成时限：2017年底前）。",
            ["省政务服务办", "省发展改革委"],
        ),
        ("（各市（州）人民政府负责，2017年底前完成）", ["各市（州）人民政府"]),
        ("（省政务服务办牵头，各有关部门按职责分工负责）", ["省政务服务办", "各有关部门"]),
        ("牵头单位：省数据管理局；配合单位：省财政厅", ["省数据管理局", "省财政厅"]),
    ],
)
def test_assignment_units_in_their_usual_forms(sentence, units):
    assert [text for text, _ in masked(sentence)] == units


def test_office_names_are_masked_wherever_they_stand():
    assert masked("由省网络安全和信息化领导小组办公室负责统筹全省网络安全工作。") == [
        ("省网络安全和信息化领导小组办公室", "office")
    ]
    assert masked("广东省人民政府办公厅印发本方案。") == [("广东省人民政府办公厅", "office")]
    assert masked("省推进“互联网+政务服务”工作领导小组办公室负责日常工作。") == [
        ("“互联网+政务服务”工作领导小组办公室", "office")
    ]


def test_a_leadership_group_being_set_up_is_not_masked():
    assert masked("成立省推进“互联网+政务服务”工作领导小组，统筹推进全省工作。") == []
    sentence = "成立工作领导小组，领导小组办公室设在省政府办公厅。"
    assert masked(sentence) == [("领导小组办公室", "office"), ("省政府办公厅", "office")]
    assert sentence.index("领导小组") < sentence_masks(sentence)[0][0]  # the group set up stays unmasked


def test_handling_services_is_not_an_office():
    assert masked("推进政务服务办理便利化，提高政务服务办结率。") == []


def test_parentheses_without_roles_are_not_assignments():
    assert masked("推进数据共享（2017年底前完成）。") == []
    assert masked("（由各级政府负责组织实施）") == []


def test_masks_are_sorted_and_never_overlap():
    sentence = "依据《省政府办公厅关于数据共享的通知》（省政府办公厅牵头，省财政厅配合），由省大数据局统筹。"
    spans = sentence_masks(sentence)
    assert spans == tuple(sorted(spans))
    assert all(end <= start for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False))
    assert spans[0] == (2, 19, "title")  # the office inside the title belongs to the title span


@pytest.mark.parametrize(
    "line",
    [
        "示政发〔2017〕12号",
        "各市、县人民政府，省政府各部门：",
        "各市（州）党委和人民政府，扩权强县试点市党委和人民政府，省委各部、委，各人民团体：",
        "省直各单位、各市（州）发展改革委、网信办、财政局、政务信息共享主管部门：",
        "示政办字〔2019〕50号 关于印发《示例县推进“一窗受理?",  # a title cut by web damage after its 文号
        "现将《示例实施方案》印发给你们，请认真贯彻执行。",
        "示例省人民政府文件",
    ],
)
def test_header_lines_are_signature(line):
    text = f"合成测试（synthetic test fixture）。\n{line}\n一、总体要求\n推进数据共享。"
    sentence = next(s for s in structure(text, "t") if s.text == line)
    assert sentence.masks == ((0, len(line), "signature"),) and sentence.section == ""


def test_signature_block_at_the_end():
    text = "一、总体要求\n推进数据共享。\n示例省人民政府办公厅\n2017年3月1日\n（此件公开发布）"
    rows = structure(text, "t")
    assert [s.masks[0][2] if s.masks else "" for s in rows] == ["", "", "signature", "signature", "signature"]
    assert [s.section for s in rows] == ["一", "一", "", "", ""]


def test_a_release_note_run_into_one_line_with_issuer_and_date_is_signature():
    """Web copies flatten the closing block: the note, the issuer and the date on one line."""
    closing = "（此件公开发布）　　　　示例省人民政府办公厅　2017年10月12日"
    rows = structure(f"一、总体要求\n推进政务公开。\n{closing}", "t")
    assert [s.masks[0][2] if s.masks else "" for s in rows] == ["", "", "signature"]
    sentence = "（此件公开发布）后，各地要推进政务公开。"  # text after the note that is no issuer or date
    assert structure(f"一、总体要求\n{sentence}", "t")[-1].masks == ()


def test_a_date_line_without_an_issuer_above_it_is_no_signature():
    # A table of tasks: a unit cell, a date cell, then another task; no issuer, no closing block.
    text = "一、任务分工\n建设平台\n省数据中心\n2017年12月31日\n推进共享\n2018年6月30日"
    assert [s.masks for s in structure(text, "t")] == [()] * 6


def test_a_notice_title_line_is_masked_as_title_only_at_the_top():
    title = "示例省人民政府关于加快推进政务服务平台建设的意见"
    top = structure(f"{title}\n一、总体要求\n推进平台建设。", "t")
    assert top[0].masks == ((0, len(title), "title"),) and top[0].heading
    inside = structure(f"一、总体要求\n推进平台建设。\n{title}", "t")
    assert inside[-1].masks == () and not inside[-1].heading


def test_structure_holds_on_random_text():
    """No input breaks the outline: offsets stay exact, paragraphs never go back, masks stay inside sentences."""
    markers = ["一、", "（一）", "1. ", "（1）", "①", "——", "第一条 ", "附件1", "附件：", "一是", "二是"]
    punctuation = ["：", "。", "；", "《", "》", "（", "）", "\n", "\n", " "]
    words = ["牵头", "配合", "责任单位：", "办公厅", "领导小组办公室", "省", "推进", "数据共享", "关于", "的通知"]
    blocks = ["2017年3月1日", "示例省人民政府", "（此件公开发布）", "抄送：", "各市人民政府："]
    pieces = markers + punctuation + words + blocks
    rng = random.Random(2017)
    for _ in range(300):
        text = normalise("".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40))))
        sentences = structure(text, "r")
        paragraphs = [s.paragraph for s in sentences]
        assert paragraphs == sorted(paragraphs)
        for sentence in sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert all(0 <= a < b <= len(sentence.text) for a, b, _ in sentence.masks)
            assert list(sentence.masks) == sorted(sentence.masks)
            assert not sentence.lead or sentence.lead < sentence.id


@pytest.mark.parametrize(
    "lines",
    [
        "示例市人民政府关于印发示例市政务服务平台建设实施方案的通知 示政〔2017〕6号",
        # a 文号 before the title stays title when the title reads whole, alone or wrapped over two lines
        "示政办字〔2017〕6号 关于印发《示例市政务服务平台建设实施方案》的通知",
        "示政办字〔2017〕6号 关于印发《示例市政务服务平台\n建设实施方案》的通知",
    ],
)
def test_a_title_with_its_document_number_on_its_line_is_masked_as_title(lines):
    sentences = structure(f"{lines}\n各县区人民政府：\n一、总体要求\n推进平台建设。", "t")
    heads = sentences[: lines.count("\n") + 1]
    assert all(sentence.masks and sentence.masks[0][2] == "title" for sentence in heads)


def test_a_title_alone_after_a_page_heading_that_repeats_it_is_masked_as_title():
    """A web page heads the notice with its 文号 and the title in 《》, then prints the title on its own line: the
    three lines together are too long to be one wrapped title, the title line alone is one."""
    heading = "示政办〔2018〕109号《示例自治州人民政府办公厅关于印发示例自治州政务服务办事大厅入驻运行管理方案的通知》"
    title = "示例自治州人民政府办公厅关于印发示例自治州政务服务办事大厅入驻运行管理方案的通知"
    sentences = structure(f"{heading}\n{title}\n各县区人民政府：\n一、总体要求\n推进大厅建设。", "t")
    own = next(s for s in sentences if s.text == title)
    assert own.masks == ((0, len(title), "title"),)
    assert not next(s for s in sentences if s.text == "推进大厅建设。").masks


@pytest.mark.parametrize("title", ["示例市政务服务“好差评”工作制度（试行）", "示例省推进政务服务便民化若干措施"])
def test_a_rule_or_a_set_of_measures_is_a_title_too(title):
    """A notice may transmit a 制度 or 若干措施, not only a 方案: its title line is the title, not a rating scheme."""
    sentences = structure(f"各乡镇人民政府：\n现将《{title}》印发给你们。\n{title}\n一、总体目标\n推行好差评。", "t")
    own = next(s for s in sentences if s.text == title)
    assert own.masks == ((0, len(title), "title"),)


def test_a_title_printed_twice_in_a_table_cell_is_masked_as_title():
    """A web page's table cell repeats the page heading (T T |); the line is the title, not a sentence of the plan."""
    title = "示例市加快“城市大脑”建设打造新型智慧城市三年行动计划（2020-2022年）"
    sentences = structure(f"{title} {title} |\n为推进智慧城市建设，制定本行动计划。\n一、建设目标\n建设城市大脑。", "t")
    assert sentences[0].masks == ((0, len(sentences[0].text), "title"),)
    assert not next(s for s in sentences if s.text == "建设城市大脑。").masks


def test_a_web_page_facts_table_above_the_notice_is_header_not_plan_text():
    """The table rule (---|---) is no dash item opening the plan, and the 名称 row that repeats the title is masked."""
    text = (
        "索 引 号： | 主题分类： | 814 |\n---|---|---|\n"
        "名 称： | 示例市关于印发网上办事大厅建设工作方案的通知 | 发布日期： | 2017-07-08 |\n"
        "示例市网上办事大厅建设工作方案\n一、总体要求\n建设网上办事大厅。"
    )
    sentences = structure(text, "t")
    row = next(s for s in sentences if "名 称" in s.text)
    plan_title = next(s for s in sentences if s.text.startswith("示例市网上办事大厅"))
    assert row.masks and plan_title.masks
    assert not next(s for s in sentences if s.text == "建设网上办事大厅。").masks
