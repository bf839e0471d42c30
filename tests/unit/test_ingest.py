"""Ingest: every format and encoding reads, normalises and splits with exact offsets; every bad file is one line."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import opencc
import pytest
from pypdf import PdfReader

from provincial_plans.coding.formats import read_document
from provincial_plans.coding.hanzi import chinese_share
from provincial_plans.coding.ingest import (
    ManifestEntry,
    Sentence,
    ingest_document,
    normalise,
    read_manifest,
    split_sentences,
    write_sentences,
)
from provincial_plans.coding.wraps import unwrap
from provincial_plans.core.errors import InputError
from provincial_plans.model.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
NOTICE = "合成测试文本（synthetic test fixture），并非任何省份的真实政策。"
UNITS = {"beijing", "liaoning", "inner-mongolia", "national"}
BODY_SENTENCES = [
    NOTICE,
    "一、总体要求",
    "以“互联网+政务服务”为主线，推进网上办事；",
    "提升服务效率！",
    "（一）建设一体化平台。",
    "（二）推动数据共享？",
    "二、主要任务",
    "1. 统一身份认证",
    "2. 电子证照共享",
]
READABLE = sorted(
    path.name
    for path in FIXTURES.glob("synthetic_*")
    if not any(
        word in path.name
        for word in ("empty", "invalid", "corrupt", "encrypted", "image_only", "shift_jis", "private_use")
    )
)


def texts(sentences: list[Sentence]) -> list[str]:
    return [sentence.text for sentence in sentences]


def error_of(call, *args, **kwargs) -> str:
    """The message of the InputError a call raises, checked to be one line."""
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def check_offsets(text: str, sentences: list[Sentence], doc_id: str = "doc") -> None:
    """Offsets are exact, in order, without overlap; ids are numbered from 1; no blank or padded sentence."""
    previous_end = 0
    for number, sentence in enumerate(sentences, start=1):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.id == f"{doc_id}:{number:04d}"
        assert sentence.start >= previous_end
        assert sentence.text and sentence.text == sentence.text.strip()
        previous_end = sentence.end


# -------------------------------------------------------------------------------------------------- fixtures


def test_every_fixture_is_synthetic_and_says_so():
    files = [path for path in FIXTURES.iterdir() if path.is_file() and path.name != "make_fixtures.py"]
    assert len(files) >= 15
    for path in files:
        assert path.name.startswith("synthetic_"), path.name
        assert path.stat().st_size < 20_000, path.name
        data = path.read_bytes()
        if path.name == "synthetic_empty.txt":  # says so by its name alone
            assert data == b""
        elif path.name in READABLE:
            assert "synthetic test fixture" in read_document(path).splitlines()[0], path.name
        elif data.startswith(b"%PDF") and b"%%EOF" in data[-10:]:  # encrypted, image-only: in the metadata
            reader = PdfReader(path)
            if reader.is_encrypted:
                assert reader.decrypt("synthetic")
            assert "synthetic test fixture" in reader.metadata.title, path.name
        else:
            assert b"synthetic test fixture" in data.split(b"\n")[0] + data.split(b"\n")[1], path.name


@pytest.mark.parametrize("name", READABLE)
def test_offsets_are_exact_for_every_readable_fixture(name):
    text, sentences = ingest_document(FIXTURES / name, "doc")
    assert sentences
    check_offsets(text, sentences)
    assert "synthetic test fixture" in sentences[0].text
    assert normalise(text) == text


@pytest.mark.parametrize(
    "name",
    [
        "synthetic_utf8.txt",
        "synthetic_utf8_bom.txt",
        "synthetic_gbk.txt",
        "synthetic_gb18030.txt",
        "synthetic_utf16le_bom.txt",
        "synthetic_utf16le_nobom.txt",
    ],
)
def test_every_encoding_gives_the_same_sentences(name):
    text, sentences = ingest_document(FIXTURES / name, "doc")
    assert texts(sentences)[: len(BODY_SENTENCES)] == BODY_SENTENCES
    assert "\ufeff" not in text and "\r" not in text


def test_gb18030_only_character_survives():
    text = read_document(FIXTURES / "synthetic_gb18030.txt")
    assert "𠮷" in text
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")


def test_traditional_text_becomes_simplified():
    text, sentences = ingest_document(FIXTURES / "synthetic_traditional.txt", "tw")
    assert texts(sentences) == [
        NOTICE,
        "一、总体要求",
        "全面推进「互联网+政务服务」，加快建设一体化网上政务服务平台。",
        "（一）数据共享与业务协同，实现「一网通办」。",
    ]


def test_docx_paragraphs_and_table_cells_in_document_order():
    _, sentences = ingest_document(FIXTURES / "synthetic_table.docx", "d")
    assert texts(sentences) == [
        NOTICE,
        "一、总体要求",
        "推进网上办事。",
        "提升服务效率！",
        "指标",
        "目标",
        "网上可办率",  # merged down two rows: once
        "90%",
        "2017年底前",
        "跨两列的单元格",  # spans two columns: once
        "外层单元格",
        "嵌套单元格",
        "第一段",
        "第二段",
        "修订：新增文字。",  # a tracked insertion is text, a tracked deletion is not
        "二、表格之后的段落。",
    ]


@pytest.mark.parametrize("name", ["synthetic_text.pdf", "synthetic_owner_password_only.pdf"])
def test_pdf_text_layer_with_wrapped_lines_joined(name):
    _, sentences = ingest_document(FIXTURES / name, "p")
    assert texts(sentences) == [
        NOTICE,  # wraps on the page; joined again
        "一、总体要求",
        "全面推进“互联网+政务服务”，加快建设一体化网上政务服务平台，推动政务服务事项网上办理，"
        "这一段足够长，用来检验换行之后句子能否重新接上。",
        "（一）建设一体化平台。",
        "（二）推动数据共享；",
        "指标 目标",  # a table row keeps its own line
        "网上可办率 90%",
    ]


def test_html_main_text_without_chrome():
    text, sentences = ingest_document(FIXTURES / "synthetic_page.html", "h")
    for chrome in ("页眉", "导航", "脚本", "样式", "页脚", "注释", "color"):
        assert chrome not in text
    assert texts(sentences) == [
        "合成测试页面（synthetic test fixture）",
        NOTICE,
        "一、总体要求",
        "推进网上办事；",  # a source line break between hanzi is no space
        "提升服务效率！",
        "指标",
        "目标",
        "网上可办率",
        "90%",
        "（一）建设平台。",
        "（二）共享数据。",
    ]


def test_html_meta_charset_is_honoured():
    _, sentences = ingest_document(FIXTURES / "synthetic_page_gbk.htm", "g")
    assert texts(sentences) == [NOTICE, "本页以GBK编码保存，并在meta中声明。", "二、政务服务事项清单"]


def test_html_pre_keeps_its_breaks_and_xhtml_declares_its_encoding(tmp_path):
    path = tmp_path / "synthetic_xhtml.html"
    page = '<?xml version="1.0" encoding="gb2312"?>\n<html><body><pre>甲 乙\n丙</pre><p>丁\n  戊</p></body></html>'
    path.write_bytes(page.encode("gbk"))
    assert read_document(path) == "甲 乙\n丙\n丁戊"


def test_pdf_lines_join_only_when_wrapped():
    full = "全面推进政务服务平台建设加快数据共享"  # the widest line: a wrap
    page = "\n".join([full, "继续。", "短标题", full[:-1] + "。", "网上可办率 90% 全面推进政务服务", "下一行"])
    assert unwrap(page).split("\n") == [
        full + "继续。",
        "短标题",
        full[:-1] + "。",
        "网上可办率 90% 全面推进政务服务",
        "下一行",
    ]
    assert unwrap(f"{full}\n（一）新条目") == f"{full}\n（一）新条目"
    assert unwrap("Internet plus government services for all\nprovinces") == (
        "Internet plus government services for all provinces"
    )


def _wrapped(paragraph: str, width: int = 20) -> str:
    """A paragraph as a fixed-width page prints it: an indented first line, then lines cut every `width` characters."""
    return "\n".join(
        ("  " if start == 0 else "") + paragraph[start : start + width] for start in range(0, len(paragraph), width)
    )


def test_plain_text_wrapped_at_a_fixed_width_is_joined_again(tmp_path):
    goal = (
        "——2017年底前，建成全市一体化网上政务服务平台。按照全省统一要求，统一技术架构、数据标准和管理规范，"
        "编制全市政务服务事项目录，优化网上办事流程，提升政务服务标准化水平。"
    )
    later = "——2018年底前，建成统一身份认证体系，实现一次认证、全网通办，推动线上线下服务融合，让群众办事少跑腿。"
    path = tmp_path / "synthetic_wrapped.txt"
    path.write_text(f"{NOTICE}\n  一、工作目标\n{_wrapped(goal)}\n{_wrapped(later)}\n", encoding="utf-8")
    _, sentences = ingest_document(path, "w")
    assert texts(sentences) == [
        NOTICE,
        "一、工作目标",
        "——2017年底前，建成全市一体化网上政务服务平台。",
        "按照全省统一要求，统一技术架构、数据标准和管理规范，编制全市政务服务事项目录，优化网上办事流程，"
        "提升政务服务标准化水平。",  # one sentence again, in the paragraph its year heads
        later,
    ]


def test_plain_text_of_one_paragraph_per_line_or_a_table_keeps_its_breaks(tmp_path):
    paragraphs = tmp_path / "synthetic_paragraphs.txt"
    text = (
        f"{NOTICE}\n一、总体要求\n"
        "以群众办事需求为导向，加快建设一体化网上政务服务平台，推动政务服务事项网上办理，提升服务效率\n"
        "各地区各部门要按照本方案要求，细化工作措施，明确责任分工，确保各项任务按时完成，取得实效\n"
        "二、主要任务\n"
        "全面梳理政务服务事项，编制公布事项目录和办事指南，推动同一事项在全市无差别办理和同标准办理\n"
    )
    paragraphs.write_text(text, encoding="utf-8")
    assert read_document(paragraphs) == text  # long lines ending mid-sentence, but only three
    table = tmp_path / "synthetic_table.txt"
    rows = [f"{n}\t完成全市政务服务事项目录梳理和办事指南编制工作并向社会公布\t市政务服务中心" for n in range(1, 6)]
    table.write_text(f"{NOTICE}\n序号\t工作任务\t牵头单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert read_document(table).split("\n")[2:] == [*rows, ""]


# ---------------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("synthetic_empty.txt", "empty file"),
        ("synthetic_image_only.pdf", "no text layer; OCR it first"),
        ("synthetic_encrypted.pdf", "encrypted PDF; remove the password first"),
        ("synthetic_corrupt.docx", "not a valid .docx file"),
        ("synthetic_corrupt.pdf", "not a valid PDF file"),
    ],
)
def test_unreadable_fixture_is_one_line_naming_the_file(name, problem, capsys):
    message = error_of(read_document, FIXTURES / name)
    assert message.endswith(f"{name}: {problem}")
    assert capsys.readouterr().err == ""  # no library warnings besides the one line


def test_invalid_bytes_name_the_offset_and_line():
    data = (FIXTURES / "synthetic_invalid_bytes.txt").read_bytes()
    offset = data.index(b"\xff")
    message = error_of(read_document, FIXTURES / "synthetic_invalid_bytes.txt")
    assert message.endswith(
        f"synthetic_invalid_bytes.txt, line 3: invalid bytes at offset {offset} (not UTF-8, UTF-16, GB18030 or Big5)"
    )


def test_invalid_bytes_in_a_gb18030_file(tmp_path):
    good = "合成测试文本，并非真实政策。\n第二行。\n".encode("gb18030")
    path = tmp_path / "synthetic_bad_gb.txt"
    path.write_bytes(good + b"\x80\xff" + "尾。".encode("gb18030"))
    message = error_of(read_document, path)
    assert f"line 3: invalid bytes at offset {len(good)} (not UTF-8, UTF-16, GB18030 or Big5)" in message


def test_utf16_big_endian_without_bom_is_detected(tmp_path):
    path = tmp_path / "synthetic_be.txt"
    path.write_bytes("合成测试文本。\n第二行，2017年。\n".encode("utf-16-be"))
    assert read_document(path) == "合成测试文本。\n第二行，2017年。\n"


def test_utf16_bom_with_broken_body(tmp_path):
    path = tmp_path / "synthetic_odd.txt"
    path.write_bytes("合成测试。".encode("utf-16") + b"\x00")
    assert "invalid bytes at offset 12" in error_of(read_document, path)


def test_declared_charset_that_does_not_fit(tmp_path):
    path = tmp_path / "synthetic_declared.html"
    path.write_bytes(b'<meta charset="gbk"><p>' + "合成测试".encode("gbk") + b"\xff\xff</p>")
    assert "invalid bytes at offset 31 (not gb18030 as its <meta charset> declares)" in error_of(read_document, path)


def test_over_the_size_limit():
    path = FIXTURES / "synthetic_utf8.txt"
    size = path.stat().st_size
    message = error_of(read_document, path, max_bytes=100)
    assert message.endswith(f"synthetic_utf8.txt: file is {size} bytes, over the limit of 100")


def test_docx_that_unpacks_too_far(tmp_path):
    path = tmp_path / "synthetic_bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 2_000_000)
    assert path.stat().st_size < 100_000
    assert "unpacks to 2000000 bytes, over the limit of 1000000" in error_of(read_document, path, max_bytes=100_000)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "synthetic_other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "synthetic")
    assert error_of(read_document, path).endswith("synthetic_other.docx: not a valid .docx file")


def test_missing_file_unknown_type_and_folder(tmp_path):
    assert error_of(read_document, tmp_path / "synthetic_missing.txt").endswith("synthetic_missing.txt: file not found")
    (tmp_path / "synthetic_notes.rtf").write_text("synthetic", encoding="utf-8")
    message = error_of(read_document, tmp_path / "synthetic_notes.rtf")
    assert message.endswith(
        "synthetic_notes.rtf: unsupported file type '.rtf' (expected .txt, .docx, .pdf, .html or .htm)"
    )
    (tmp_path / "synthetic_folder.txt").mkdir()
    assert error_of(read_document, tmp_path / "synthetic_folder.txt").endswith("not a file")


def test_page_with_only_chrome_has_no_text(tmp_path):
    path = tmp_path / "synthetic_chrome.html"
    path.write_text("<html><body><nav>导航</nav><script>x()</script></body></html>", encoding="utf-8")
    assert error_of(read_document, path).endswith("synthetic_chrome.html: no text")


def test_text_of_invisible_characters_only(tmp_path):
    path = tmp_path / "synthetic_invisible.txt"
    path.write_text("\u200b\u200d\ufeff", encoding="utf-8")
    assert error_of(ingest_document, path, "x").endswith("synthetic_invisible.txt: no text")


# -------------------------------------------------------------------------------------------------- Big5 etc.

TRADITIONAL_SENTENCES = [
    NOTICE,
    "一、总体要求",
    "全面推进「互联网+政务服务」，加快建设一体化网上政务服务平台。",
    "（一）数据共享与业务协同，实现「一网通办」。",
]


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("synthetic_big5.txt", []),
        ("synthetic_cp950.txt", ["推动「一网通办」，让群众在家里即可办事。"]),  # 裏 is CP950's, not Big5's
        ("synthetic_big5hkscs.txt", ["香港增补字符：啱、嘅、咗、冇。"]),  # only Big5-HKSCS has these
    ],
)
def test_big5_family_files_are_read_as_their_text_not_as_gb18030(name, extra):
    data = (FIXTURES / name).read_bytes()
    data.decode("gb18030")  # valid GB18030 byte for byte: only the characters tell
    _, sentences = ingest_document(FIXTURES / name, "b5")
    assert texts(sentences) == TRADITIONAL_SENTENCES + extra


def test_text_that_is_chinese_in_no_encoding_is_refused_naming_the_file():
    message = error_of(read_document, FIXTURES / "synthetic_shift_jis.txt")
    assert message.endswith(
        "synthetic_shift_jis.txt: not Chinese text in any encoding tried: at best 19% of its characters are "
        "common hanzi or punctuation (gb18030)"
    )


def test_mostly_private_use_text_is_refused_naming_the_file():
    message = error_of(read_document, FIXTURES / "synthetic_private_use.txt")
    assert message.endswith(
        "synthetic_private_use.txt: 240 of its 261 characters are private-use or unassigned: not readable text"
    )


def test_mostly_unassigned_characters_are_refused_and_a_few_private_use_ones_kept(tmp_path):
    unassigned = tmp_path / "synthetic_unassigned.txt"
    unassigned.write_text("合成\n" + "\u0378\u0379\u0380" * 10, encoding="utf-8")
    assert error_of(read_document, unassigned).endswith(
        "30 of its 32 characters are private-use or unassigned: not readable text"
    )
    some = tmp_path / "synthetic_some_private_use.txt"
    some.write_text("合成测试文本，含两个私用区字符\ue000\ue001。", encoding="utf-8")
    assert read_document(some).endswith("\ue000\ue001。")


def test_chinese_share_tells_text_from_mojibake():
    text = "全面推进“互联网+政务服务”，加快建设一体化网上政务服务平台。"
    assert chinese_share(text) == 1.0
    assert chinese_share("推进数据共享和政务服务平台建设".encode("gbk").decode("cp950")) < 0.5  # GBK read as Big5
    assert chinese_share("合成測試文本".encode("big5").decode("gb18030")) < 0.5  # Big5 bytes read as GB18030
    assert chinese_share("ASCII only") == 1.0


# ----------------------------------------------------------------------------------------- Taiwan vocabulary

# Keywords whose Taiwan form OpenCC's s2twp shares with another mainland word, so no map can bring them back.
TAIWAN_AMBIGUOUS = {
    "智能化": "s2twp writes 智慧化 for both 智能化 and 智慧化 (智慧城市 and 智慧政务 are mainland terms too)",
    "智能服务": "s2twp writes 智慧服務 for both 智能服务 and 智慧服务",
    "智能客服": "the same 智慧 for 智能",
    "运行监测": "s2twp writes 執行 for 运行, and 执行 (carry out) is a mainland word of its own",
    "运行监控": "the same 執行 for 运行",
    "接口标准": "s2twp writes 介面 for 接口, which is also Taiwan's word for a user interface (mainland 界面)",
    "统一社会信用代码": "s2twp writes 程式碼 (program code) for 代码 even in a credit code, a conversion error",
}
MAINLAND = [
    "推动线上线下融合，实现政务服务网上办理。",
    "加强网络安全保障，推进数据共享和信息共享。",
    "设立综合窗口，实行一窗受理、即时办结。",
    "整理档案资料，建立信息资源目录。",
    "整合各类平台，提供集成服务，软件和硬件同步升级。",
    "依托在线平台实时监测运行情况，优化办事流程。",
]


def test_every_codebook_keyword_in_taiwan_script_and_vocabulary_normalises_back():
    keywords = sorted(
        {keyword for code in load_codebook(ROOT / "data" / "codebook.yaml").codes for keyword in code.keywords}
    )
    taiwan = opencc.OpenCC("s2twp")
    # each keyword in a sentence of a Taiwan document, as a plan would hold it (a keyword alone may hold no
    # traditional character, and only a text that was traditional gets the Taiwan map)
    frame = "依托互联网和信息系统，推进{}工作。"
    failed = {keyword for keyword in keywords if keyword not in normalise(taiwan.convert(frame.format(keyword)))}
    assert failed == set(TAIWAN_AMBIGUOUS) & set(keywords)
    traditional = opencc.OpenCC("s2t")  # traditional script, mainland vocabulary: every one comes back
    assert [keyword for keyword in keywords if normalise(traditional.convert(keyword)) != keyword] == []


@pytest.mark.parametrize("sentence", MAINLAND)
def test_mainland_text_is_never_rewritten(sentence):
    assert normalise(sentence) == sentence  # simplified: untouched
    assert normalise(opencc.OpenCC("s2t").convert(sentence)) == sentence  # a mainland page in traditional script


def test_taiwan_text_reads_in_mainland_vocabulary():
    _, sentences = ingest_document(FIXTURES / "synthetic_taiwan.txt", "tw")
    assert texts(sentences)[1:] == [
        "一、推动互联网与政务服务深度融合",
        "建立信息共享机制，推动数据共享，保障网络安全。",
        "设置综合窗口，提供在线办理与实时监控，优化办事流程，统一采购软件。",
        "推动线上线下融合。",  # a mainland phrase in Taiwan text stays
    ]


def test_a_plan_converted_into_taiwan_vocabulary_is_told_by_the_platforms_name_alone():
    """A mainland plan run through a Taiwan-vocabulary converter: no general Taiwan word, one mainland word (优化)."""
    text = "全省一體化線上政務服務平臺建設方案。優化流程，推動資料資源充分共享，增強大資料服務能力。"
    assert normalise(text) == "全省一体化在线政务服务平台建设方案。优化流程，推动数据资源充分共享，增强大数据服务能力。"
    mainland = "全省一體化在線政務服務平臺建設方案。優化流程，推動數據資源充分共享，整理檔案資料。"
    assert normalise(mainland) == "全省一体化在线政务服务平台建设方案。优化流程，推动数据资源充分共享，整理档案资料。"


def test_a_simplified_document_quoting_traditional_words_gets_no_taiwan_map():
    text = "本方案借鉴了外地经验。" * 8 + "有的地方称为“線上申辦”。推动数据共享。"
    assert "线上申办" in normalise(text) and "在线" not in normalise(text)


# ----------------------------------------------------------------------------------------------- normalising


def test_width_folding_keeps_chinese_punctuation():
    assert normalise("ＡＢＣｘｙｚ０１２３４５６７８９") == "ABCxyz0123456789"
    assert normalise("２０１７年\u3000第１条") == "2017年 第1条"
    punctuation = "，。；：！？（）、“”《》【】"
    assert normalise(f"甲{punctuation}乙") == f"甲{punctuation}乙"
    assert normalise("甲，乙") != "甲,乙"  # not NFKC


def test_pinyin_glosses_of_reposts_are_dropped_and_other_brackets_kept():
    assert normalise("坚持协(xié)同发(fā)展、开放创(chuàng )新的原则") == "坚持协同发展、开放创新的原则"
    assert normalise("開放創（chuàng ）新") == "开放创新"
    assert normalise("推行一号(ID)申请，建设平台(2017年)完成") == "推行一号（ID）申请，建设平台（2017年）完成"


def test_straight_quotes_that_pair_up_in_a_line_of_hanzi_become_chinese_quotes():
    typed = '加快推进"互联网+政务服务"工作,实现"一网通办"。'
    assert normalise(typed) == "加快推进“互联网+政务服务”工作，实现“一网通办”。"
    assert normalise('推进"一网\n通办"改革') == '推进"一网\n通办"改革'  # a quotation over two lines: left
    assert normalise('Say "hi" here') == 'Say "hi" here'  # no hanzi: not Chinese quotation
    assert normalise('正文<img src="x.png">正文') == '正文<img src="x.png">正文'  # markup's quotes stay


def test_traditional_to_simplified():
    assert normalise("政務服務「一網通辦」與數據共享") == "政务服务「一网通办」与数据共享"
    assert normalise("國務院辦公廳關於印發") == "国务院办公厅关于印发"


def test_whitespace_line_endings_and_invisible_characters():
    assert normalise("甲\r\n乙\r丙\u2028丁") == "甲\n乙\n丙\n丁"
    assert normalise("甲  \t 乙   \n丙\t\n") == "甲 乙\n丙"
    assert normalise("甲\n\n\n\n\n乙\n \n \n丙") == "甲\n\n乙\n\n丙"
    assert normalise("数\u200b据\u200d共\ufeff享\u00ad") == "数据共享"
    assert normalise("\n\n  甲  \n\n") == "甲"
    assert normalise("甲\u00a0\u00a0乙") == "甲 乙"


def test_pdf_radicals_and_compatibility_ideographs_fold():
    # ⾏ (Kangxi radical) and 﨑-style compatibility ideographs come out of many PDFs' text layers
    assert normalise("⼀体化平台运⾏") == "一体化平台运行"
    assert normalise("\uf9a8") == "令"


@pytest.mark.parametrize(
    "sample",
    [
        "ＡＢＣ\u3000１２３，甲。\r\n\r\n\r\n\r\n乙\u200b  丙\t\t",
        "薴麻與後來的發展",  # OpenCC maps 薴 → 苧 → 苎: applied until stable
        " \u3000 \n\u3000\n 甲 \u3000 乙 \n",
        "⼀\uf9a8　Ａ",
        '实现"一网通办","最多跑一次"',
        "",
    ],
)
def test_normalise_is_idempotent(sample):
    once = normalise(sample)
    assert normalise(once) == once


def test_normalise_is_idempotent_on_every_fixture():
    for name in READABLE:
        once = normalise(read_document(FIXTURES / name))
        assert normalise(once) == once, name


# ------------------------------------------------------------------------------------------------- splitting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲。乙！丙？丁；戊", ["甲。", "乙！", "丙？", "丁；", "戊"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("见附件。）（完）", ["见附件。）", "（完）"]),
        ("真的吗？！是的……。", ["真的吗？！", "是的……。"]),
        ("Really? Yes! Done; next", ["Really?", "Yes!", "Done;", "next"]),
        ("a;b and http://x.cn/a?id=1&b=2 stay", ["a;b and http://x.cn/a?id=1&b=2 stay"]),
        ("第一行\n第二行\n\n  \n第三行", ["第一行", "第二行", "第三行"]),
        ("总体要求（一）指导思想（二）基本原则", ["总体要求", "（一）指导思想", "（二）基本原则"]),
        ("主要任务 1. 统一认证 2. 电子证照", ["主要任务", "1. 统一认证", "2. 电子证照"]),
        ("任务：1、建平台2、通数据", ["任务：", "1、建平台", "2、通数据"]),
        ("目标 (1)甲 （2）乙", ["目标", "(1)甲", "（2）乙"]),
        ("总则 一、总体要求 二、主要任务", ["总则", "一、总体要求", "二、主要任务"]),
        ("第一条 为了规范。第二条 本办法适用于全省。", ["第一条 为了规范。", "第二条 本办法适用于全省。"]),
        ("要求①建平台②通数据", ["要求", "①建平台", "②通数据"]),
    ],
)
def test_split_cases(text, expected):
    sentences = split_sentences(text, "t")
    assert texts(sentences) == expected
    check_offsets(text, sentences, "t")


@pytest.mark.parametrize(
    "text",
    [
        "投资1.5亿元建设平台",
        "根据第五条规定办理",
        "第1、2条所列事项",
        "获得一、二等奖",
        "第一、二季度完成",
        "版本2.0上线",
        "到2020年底建成",
        "3、5、7号窗口",
        "函数f(1)返回",
        "实现全市网上服务事项标准统一、规范运行。",  # 统一、 ends a word, it opens no item
        "以公民身份号码作为唯一、权威的标识。",
    ],
)
def test_numbers_that_are_not_list_items_do_not_split(text):
    assert texts(split_sentences(text, "t")) == [text]


def test_offsets_skip_surrounding_whitespace():
    text = "  甲。  乙。 \n\t丙 "
    sentences = split_sentences(text, "doc")
    assert [(s.start, s.end, s.text) for s in sentences] == [(2, 4, "甲。"), (6, 8, "乙。"), (11, 12, "丙")]
    assert [s.id for s in sentences] == ["doc:0001", "doc:0002", "doc:0003"]


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("", "d") == []
    assert split_sentences(" \n\t \n", "d") == []


def test_offsets_hold_on_random_text():
    alphabet = list("甲乙丙一二十第条（）()、。！？；;!?.：“”」 \t\n0123456789abc①") + ["\u3000", "\u200b"]
    rng = random.Random(2017)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        check_offsets(text, split_sentences(text, "r"), "r")
        normalised = normalise(text)
        assert normalise(normalised) == normalised
        check_offsets(normalised, split_sentences(normalised, "r"), "r")


def test_ten_megabytes_keep_exact_offsets_to_the_end(tmp_path):
    path = tmp_path / "synthetic_big.txt"
    unit = (FIXTURES / "synthetic_utf8.txt").read_bytes()
    path.write_bytes(unit * (10_000_000 // len(unit)))
    text, sentences = ingest_document(path, "big")
    assert len(sentences) > 250_000 and text[sentences[-1].start : sentences[-1].end] == sentences[-1].text
    assert sentences[-1].id == f"big:{len(sentences):04d}"


# -------------------------------------------------------------------------------------------------- manifest

HEADER = "unit,doc_id,title,doc_number,issue_date,file,source_url\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "2017" / "documents").mkdir(parents=True)
    for name in ("beijing.txt", "national.txt"):
        (root / "2017" / "documents" / name).write_text(NOTICE + "\n正文。\n", encoding="utf-8")
    return root


def manifest(data: Path, *rows: str) -> Path:
    path = data / "2017" / "documents.csv"
    path.write_text("source: synthetic test fixture\n" + HEADER + "".join(row + "\n" for row in rows), "utf-8")
    return path


NATIONAL = "national,gov-2016-55,指导意见,国发〔2016〕55号,2016-09-29,documents/national.txt,https://example.org/a"
BEIJING = "beijing,beijing-2017,北京市实施方案,,2017,documents/beijing.txt,"


def test_manifest_reads_and_resolves(data):
    path = manifest(data, NATIONAL, BEIJING)
    entries = read_manifest(path, data, UNITS)
    assert [(e.unit, e.doc_id, e.line) for e in entries] == [
        ("national", "gov-2016-55", 3),
        ("beijing", "beijing-2017", 4),
    ]
    assert entries[0].file == data / "2017" / "documents" / "national.txt"
    assert entries[0].doc_number == "国发〔2016〕55号" and entries[1].issue_date == "2017"
    assert entries[1].source_url == ""


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (BEIJING.replace("beijing,", "atlantis,", 1), "unknown unit 'atlantis'"),
        (BEIJING.replace("documents/beijing.txt", "../secret.txt"), "'..' component; path must stay inside data/"),
        (BEIJING.replace("documents/beijing.txt", "documents/../../x.txt"), "path must stay inside data/"),
        (BEIJING.replace("documents/beijing.txt", "/etc/passwd"), "is absolute; path must stay inside data/"),
        (BEIJING.replace("documents/beijing.txt", "documents/missing.pdf"), "file 'documents/missing.pdf' not found"),
        (BEIJING.replace("documents/beijing.txt", "documents"), "file 'documents' is not a file"),
        (BEIJING.replace("beijing-2017", "Beijing 2017"), "doc_id 'Beijing 2017' is not valid"),
        (BEIJING.replace(",2017,", ",2017年,"), "issue_date '2017年' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (BEIJING.replace(",2017,", ",2017-02-30,"), "issue_date '2017-02-30' is not a date"),
        (BEIJING.replace("北京市实施方案", "<script>x</script>"), "title '<script>x</script>' contains HTML markup"),
        (BEIJING + "javascript:alert(1)", "source_url 'javascript:alert(1)' is not an http:// or https:// address"),
    ],
)
def test_manifest_row_errors_name_the_line(data, row, problem):
    message = error_of(read_manifest, manifest(data, NATIONAL, row), data, UNITS)
    assert "documents.csv, line 4: " in message and problem in message


def test_manifest_rejects_a_symlink_out_of_the_data_root(data, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("synthetic", encoding="utf-8")
    (data / "2017" / "documents" / "link.txt").symlink_to(outside)
    row = BEIJING.replace("documents/beijing.txt", "documents/link.txt")
    message = error_of(read_manifest, manifest(data, row), data, UNITS)
    assert "documents.csv, line 3: file 'documents/link.txt' resolves outside" in message
    assert message.endswith("path must stay inside data/")


def test_manifest_accepts_a_symlink_that_stays_inside(data):
    (data / "2017" / "documents" / "alias.txt").symlink_to(data / "2017" / "documents" / "beijing.txt")
    entries = read_manifest(manifest(data, BEIJING.replace("beijing.txt", "alias.txt")), data, UNITS)
    assert entries[0].file.name == "alias.txt"


def test_manifest_duplicate_doc_id(data):
    message = error_of(read_manifest, manifest(data, BEIJING, NATIONAL, BEIJING), data, UNITS)
    assert "documents.csv, line 5: duplicate doc_id beijing-2017 (first at line 3)" in message


def test_manifest_unsupported_file_type(data):
    (data / "2017" / "documents" / "plan.doc").write_bytes(b"synthetic")
    message = error_of(read_manifest, manifest(data, BEIJING.replace("beijing.txt", "plan.doc")), data, UNITS)
    assert "line 3: file 'documents/plan.doc' has unsupported type '.doc'" in message


def test_manifest_missing_column(data):
    path = data / "2017" / "documents.csv"
    path.write_text("unit,doc_id,title\nbeijing,b,标题\n", encoding="utf-8")
    assert "documents.csv, line 1: missing column 'doc_number'" in error_of(read_manifest, path, data, UNITS)


# ---------------------------------------------------------------------------------------------------- output


def test_write_sentences_round_trips(tmp_path):
    entry = ManifestEntry(
        "beijing", "beijing-2017", "北京市实施方案", "京政发〔2017〕1号", "2017-01", FIXTURES / "synthetic_utf8.txt",
        "https://example.org/b", 3,
    )  # fmt: skip
    text, sentences = ingest_document(entry.file, entry.doc_id)
    target = tmp_path / "out" / "beijing-2017.json"
    write_sentences(target, entry, text, sentences)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["doc_id"] == "beijing-2017" and document["doc_number"] == "京政发〔2017〕1号"
    assert document["text"] == text
    assert [Sentence.from_row(row) for row in document["sentences"]] == sentences
    assert all(document["text"][row["start"] : row["end"]] == row["text"] for row in document["sentences"])
    assert "合成测试文本" in target.read_text(encoding="utf-8")  # readable, not \\u-escaped
    assert sorted(p.name for p in target.parent.iterdir()) == ["beijing-2017.json"]  # no temporary left
