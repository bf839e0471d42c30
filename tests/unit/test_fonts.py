"""The project's own fonts carry every character the reports print."""

from pathlib import Path

from fontTools.ttLib import TTFont

from provincial_plans.report.fonts import FAMILY, font_files

ROOT = Path(__file__).resolve().parents[2]


def printed_characters(data_2017) -> set[str]:
    texts = [(ROOT / "data" / "messages" / "zh.yaml").read_text(encoding="utf-8")]
    texts += [code.label["zh"] for code in data_2017.codebook.codes]
    texts += [unit.name_zh for unit in data_2017.units]
    texts += [f"{d.title}{d.doc_number}" for d in data_2017.documents]
    texts += [cell.note["zh"] for cell in data_2017.cells.values()]
    return {char for text in texts for char in text if ord(char) > 0x7F and not char.isspace()}


def test_cjk_font_covers_every_printed_character(data_2017):
    cmap = TTFont(font_files()[(FAMILY, "Regular")]).getBestCmap()
    missing = sorted(char for char in printed_characters(data_2017) if ord(char) not in cmap)
    assert missing == []


def test_fonts_are_static_and_named():
    for (family, style), path in font_files().items():
        font = TTFont(path)
        assert "fvar" not in font
        assert font["name"].getDebugName(1) == family
        assert font["OS/2"].usWeightClass == (700 if style == "Bold" else 400)
