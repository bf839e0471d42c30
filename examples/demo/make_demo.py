"""Regenerate the demonstration inputs from the synthetic test corpus, one document per format and encoding.

Run once from the repository root: `.venv/bin/python examples/demo/make_demo.py`. The outputs are committed;
nothing here runs during a build. Every file is synthetic and says so in its name and first line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import opencc
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from provincial_plans.report.render import font_css

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "synthetic_corpus"
YEAR = Path(__file__).resolve().parent / "2017"
DOCS = YEAR / "documents"
# corpus file -> (province slug, output name, writer)
PLAN = {
    "a": ("beijing", "synthetic_plan_a.txt", "utf-8"),
    "b": ("zhejiang", "synthetic_plan_b.txt", "gb18030"),
    "c": ("anhui", "synthetic_plan_c.txt", "utf-16"),
    "d": ("hubei", "synthetic_plan_d.docx", "docx"),
    "e": ("guangdong", "synthetic_plan_e.html", "html"),
    "f": ("sichuan", "synthetic_plan_f.pdf", "pdf"),
    "g": ("guizhou", "synthetic_plan_g.txt", "utf-8-sig"),
    "h": ("gansu", "synthetic_plan_h.txt", "traditional"),
}


def write(text: str, target: Path, how: str) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    if how == "docx":
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(target)
    elif how in ("html", "pdf"):
        body = "".join(f"<p>{line}</p>" for line in lines)
        head = '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>synthetic</title></head>'
        html = f"{head}<body>{body}</body></html>"
        if how == "html":
            target.write_text(html, encoding="utf-8")
        else:
            fonts = FontConfiguration()
            css = weasyprint.CSS(string=font_css("pdf") + "body{font-family:'Noto Sans SC Report'}", font_config=fonts)
            weasyprint.HTML(string=html).write_pdf(target, stylesheets=[css], font_config=fonts)
    elif how == "traditional":
        target.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    else:
        target.write_text(text, encoding=how)


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    rows = []
    for key, (unit, name, how) in PLAN.items():
        write((CORPUS / f"synthetic_plan_{key}.txt").read_text(encoding="utf-8"), DOCS / name, how)
        rows.append(
            [unit, f"plan-{key}", f"合成演示方案 {key.upper()}（synthetic）", "", "2017", f"documents/{name}", ""]
        )
    rows.append(
        [
            "national",
            "central",
            "合成演示中央指导意见（synthetic）",
            "",
            "2016",
            "documents/synthetic_central_guidance.txt",
            "",
        ]
    )
    with (YEAR / "documents.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["unit", "doc_id", "title", "doc_number", "issue_date", "file", "source_url"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
