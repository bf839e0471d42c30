"""Render a report context to HTML (Jinja2, autoescaped) and PDF (WeasyPrint) in each language.

The HTML site links its stylesheet and WOFF2 fonts under assets/; the PDF gets the same template with the
OTF fonts by file URL. WeasyPrint may fetch only local files in the templates folder and the font folder.
"""

from __future__ import annotations

import atexit
import json
import re
from collections.abc import Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import jinja2
import lxml.html
from markupsafe import Markup

from provincial_plans import __version__
from provincial_plans.analysis.records import Finding
from provincial_plans.contexts.contract import Context, NationalContext, ProvinceContext, read_context
from provincial_plans.core.atomic import csv_text, write_bytes, write_text
from provincial_plans.core.errors import PipelineError, display_path
from provincial_plans.core.i18n import Messages, load_messages
from provincial_plans.core.paths import TEMPLATES
from provincial_plans.core.provenance import build_time, lock_digest, sha256
from provincial_plans.model.dates import plan_date
from provincial_plans.report.fonts import font_dir, font_files
from provincial_plans.report.glance_text import glance_alt, span_text, timing_sentence
from provincial_plans.report.profile import profile_svg

OUTPUT_NAME = re.compile(r"^(?P<stem>[a-z0-9-]+)\.(?P<lang>zh|en)\.(?P<ext>html|pdf)$")


@cache
def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def font_css(kind: str) -> str:
    """@font-face rules: WOFF2 beside the site's stylesheet, OTF by file URL for WeasyPrint."""
    rules = []
    for (family, style), path in font_files().items():
        weight = 700 if style == "Bold" else 400
        source = f"url(fonts/{path.stem}.woff2) format('woff2')" if kind == "site" else f"url({path.as_uri()})"
        rules.append(
            f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: normal; src: {source}; }}"
        )
    return "\n".join(rules) + "\n"


def page_css(messages: Messages) -> str:
    """Running footer 'page x of y' in the edition's wording (counters cannot live in the catalogue)."""
    parts = re.split(r"(\{page\}|\{pages\})", messages("page.of"))
    content = " ".join(
        "counter(page)"
        if part == "{page}"
        else "counter(pages)"
        if part == "{pages}"
        else json.dumps(part, ensure_ascii=False)
        for part in parts
        if part
    )
    return f"@page {{ @bottom-right {{ content: {content}; font-size: 8pt; color: #5a5a5a; }} }}\n"


def _template_context(
    context: Context, messages: Messages, charts: dict[str, Path], pdf: bool, stem: str, extra: dict[str, Any]
) -> dict[str, Any]:
    """What a template sees: the context's fields by name (contexts.contract), `extra` (digest, linked), the
    edition's messages `t` and what the page adds (title, contents, the charts, citations)."""
    lang = messages.lang
    other = "en" if lang == "zh" else "zh"
    values: dict[str, Any] = {
        "toc": [],
        "built": build_time().isoformat(),
        **{field.name: getattr(context, field.name) for field in fields(context)},
        **extra,
        "t": messages,
        "lang": lang,
        "other_lang": other,
        "other_href": f"{stem}.{other}.html",
        "pdf": pdf,
        "version": __version__,
        "lock": lock_digest(),
        "family_rows": context.family_rows,
        "chart": lambda name, alt: _chart(charts.get(name), alt, pdf),
        "family_label": lambda family: next(
            (f.label[lang] for f in context.families if f.id == family), messages("reliability.overall")
        ),
        "findings": [f for f in context.findings if f.kind == "finding"],
        "recommendations": [f for f in context.findings if f.kind == "recommendation"],
        "citation": lambda finding: citation(context, finding, messages),
        "subtitle": messages("report.subtitle"),
        "plan_date": lambda text, empty=None: _plan_date(text, messages, empty),
    }
    if isinstance(context, ProvinceContext):
        unit = context.unit
        rows = [row for family in context.families for row in family.rows]
        values.update(
            title=messages("report.province.title", unit=unit.name, year=context.year),
            tasks=context.family_rows("task"),
            known=sum(row.value is not None for row in rows),
            total=len(rows),
            profile_chart=inline_figure(
                profile_svg(context, messages), messages("chart.profile.alt", unit=unit.short_name)
            ),
            timing_sentence=timing_sentence(context.timing, messages),
        )
    else:
        values.update(
            title=messages("report.national.title", year=context.year, n=context.unit_count),
            linked=set(values["linked"]),
            glance_alt=lambda chart: glance_alt(context.glance, chart, messages),
        )
    return values


def _plan_date(text: str, messages: Messages, empty: str | None) -> str:
    """A catalogue's signing or posting date in the edition's words; empty: `empty`, else not reported."""
    span = plan_date(text)
    return span_text(span, messages) if span else empty or messages("status.unknown")


def citation(context: Context, finding: Finding, messages: Messages) -> dict[str, list[Any]]:
    """What a finding rests on: the study's sections for its rows and their evidence sentences (E1, ...)."""
    cited = set(finding.cites)
    sections: list[str] = []
    evidence: list[int] = []
    for family in context.families:
        for row in family.rows:
            if family.id not in cited and row.code not in cited:
                continue
            if isinstance(context, NationalContext):
                section = row.national.stated.source_section if row.national.stated else None
            else:
                section = row.source_section if row.value is not None else None
                evidence.extend(ref for ref in row.evidence if ref not in evidence)
            if section and section not in sections:
                sections.append(section)
    return {"sections": [messages.section(section) for section in sections], "evidence": sorted(evidence)}


def inline_figure(svg: str | None, alt: str) -> Markup:
    """A chart inlined as SVG (our own matplotlib output, trusted) with a text alternative."""
    if svg is None:
        return Markup("")
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(alt)}" ', 1)
    return _captioned(Markup(labelled), alt)


def _captioned(chart: Markup, alt: str) -> Markup:
    return Markup('<figure class="chart">{}<figcaption>{}</figcaption></figure>').format(chart, alt)


def _chart(path: Path | None, alt: str, pdf: bool) -> Markup:
    """A chart file of the charts stage: inlined in an HTML page; in a PDF, an image of the file.

    Why the image: inlined, the national charts' thousand SVG elements went through WeasyPrint's style cascade
    with the page's (a quarter of a national PDF's time); as an image WeasyPrint draws them alone, the same
    vector drawing and text, and tags the figure with its alternative text.
    """
    if path is None:
        return Markup("")
    if not pdf:
        return inline_figure(path.read_text(encoding="utf-8"), alt)
    return _captioned(Markup('<img src="{}" alt="{}">').format(path.resolve().as_uri(), alt), alt)


@cache
def local_fetcher(*roots: Path) -> Any:
    """WeasyPrint's URL fetcher, refusing everything but `file:` URLs of files inside `roots` or the font folder:
    no network, no data: URLs, no file elsewhere (a `..` or a symlink out of a root resolves outside it)."""
    from weasyprint.urls import URLFetcher  # (WeasyPrint: for a PDF only, 1.2 s)

    allowed = tuple(root.resolve() for root in (*roots, font_dir()))

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("file://"):
                raise PipelineError(f"refused to fetch {url!r}: reports use local files only")
            path = Path(url2pathname(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed):
                raise PipelineError(f"refused to fetch {path}: outside {', '.join(map(str, allowed))}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def html_document(
    context: Context,
    messages: Messages,
    charts: dict[str, Path],
    pdf: bool,
    stem: str,
    templates: Path,
    toc: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The page, with the contents list of its sections: `toc`, or found by rendering the page a first time.

    The HTML and PDF editions of a language have the same sections (the PDF adds only its cover, which the list
    leaves out), so a job finds the list once per language and passes it to the second edition.
    """
    template = environment(templates).get_template(f"{context.kind}.html.j2")
    values = _template_context(context, messages, charts, pdf, stem, {"digest": None, "linked": [], **(extra or {})})
    values["toc"] = table_of_contents(template.render(values)) if toc is None else toc
    return template.render(values)


def table_of_contents(html: str) -> list[dict[str, str]]:
    """Each top-level section's id and heading, in page order."""
    root = lxml.html.document_fromstring(html)
    return [
        {"id": section.get("id"), "title": heading.text_content().strip()}
        for section in root.iterfind(".//main/section[@id]")
        if section.get("id") != "cover"
        for heading in section.iterfind("h2")
    ]


def pdf_styles(templates: Path, messages: Messages) -> tuple[Any, list[Any]]:
    """The PDF's font configuration and stylesheets, parsed (fonts loaded) once per process and edition wording.

    Why: parsing them costs about 0.1 s a PDF; a job's two PDFs, and every job the render server forks from a
    process that has rendered, share them. The stylesheet's and the fonts' size and time are part of the key,
    so an edited report.css or rebuilt fonts are read again.
    """
    import weasyprint  # 1.2 s: a PDF only; the HTML editions and the index pages never load it
    from weasyprint.text.fonts import FontConfiguration  # (WeasyPrint: for a PDF only, 1.2 s)

    sources = [templates / "report.css", *font_files().values()]
    key = (str(templates.resolve()), *((path.stat().st_mtime_ns, path.stat().st_size) for path in sources))
    if key not in _PDF_STYLES:
        _PDF_STYLES.clear()
        font_config = FontConfiguration()
        fetcher = local_fetcher(templates)
        base = [
            weasyprint.CSS(string=font_css("pdf"), font_config=font_config, url_fetcher=fetcher),
            weasyprint.CSS(filename=str(templates / "report.css"), font_config=font_config, url_fetcher=fetcher),
        ]
        _PDF_STYLES[key] = (font_config, base, {})
    font_config, base, pages = _PDF_STYLES[key]
    footer = page_css(messages)
    if footer not in pages:
        pages[footer] = weasyprint.CSS(string=footer, font_config=font_config, url_fetcher=local_fetcher(templates))
    return font_config, [*base, pages[footer]]


_PDF_STYLES: dict[tuple[Any, ...], tuple[Any, list[Any], dict[str, Any]]] = {}
atexit.register(_PDF_STYLES.clear)  # while WeasyPrint's modules still stand: FontConfiguration's __del__ needs them


def write_pdf(
    html: str,
    target: Path,
    messages: Messages,
    templates: Path,
    variant: str | None = None,
    attach: Sequence[tuple[str, bytes]] = (),
    charts_dir: Path | None = None,
) -> None:
    """A tagged PDF with bookmarks and metadata; a PDF/A variant carries its data tables as attachments.

    The page may show files of `templates` and `charts_dir` (its chart images), and no others.
    """
    import weasyprint  # 1.2 s: a PDF only; the HTML editions and the index pages never load it
    from weasyprint.urls import FatalURLFetchingError  # (WeasyPrint: for a PDF only, 1.2 s)

    font_config, stylesheets = pdf_styles(templates, messages)
    fetcher = local_fetcher(templates, *([charts_dir] if charts_dir else []))
    document = weasyprint.HTML(string=html, base_url=str(target.parent), url_fetcher=fetcher)
    when = build_time()
    attachments = [
        weasyprint.Attachment(string=data, name=name, created=when, modified=when, relationship="Data")
        for name, data in attach
    ]
    try:
        data = document.write_pdf(
            stylesheets=stylesheets,
            font_config=font_config,
            pdf_tags=True,
            pdf_variant=variant,
            attachments=attachments or None,
            uncompressed_pdf=False,
        )
    except FatalURLFetchingError as error:  # the fetcher refused a URL: say which, in one line
        raise PipelineError(f"{display_path(target)}: {error.__cause__ or error}") from None
    write_bytes(target, data)


def render_unit(
    context_path: Path,
    outputs: list[str],
    messages_dir: Path,
    charts_dir: Path | None = None,
    linked: list[str] | None = None,
    templates: Path = TEMPLATES,
    variant: str | None = None,
    attach: list[Path] = (),
) -> None:
    """Rule `render_*`: every requested edition of one report (NAME.{zh,en}.{html,pdf})."""
    context = read_context(context_path)
    extra = {"linked": linked or [], "digest": sha256(context_path)}
    attachments = data_tables(context, attach) if variant else []
    requested: dict[str, list[tuple[str, Path]]] = {}
    stem = None
    for output in outputs:
        match = OUTPUT_NAME.match(Path(output).name)
        if match is None:
            raise PipelineError(f"{output}: not a report name (NAME.zh|en.html|pdf)")
        stem = match["stem"]
        requested.setdefault(match["lang"], []).append((match["ext"], Path(output)))
    for lang, targets in requested.items():
        messages = load_messages(messages_dir, lang)
        charts = _charts(charts_dir, lang)
        toc = None
        for ext, target in targets:
            html = html_document(context, messages, charts, ext == "pdf", stem, templates, toc, extra)
            toc = toc or table_of_contents(html)
            if ext == "html":
                write_text(target, html)
            else:
                write_pdf(html, target, messages, templates, variant, attachments, charts_dir)


def data_tables(context: Context, tables: Sequence[Path]) -> list[tuple[str, bytes]]:
    """What a PDF/A edition carries: the national tables, or a province's own cells with their comparisons."""
    if not isinstance(context, ProvinceContext):
        return [(path.name, path.read_bytes()) for path in tables]
    header = ["code", "label_zh", "label_en", "value", "basis", "source_section"]
    parts, measures = ("national", "region"), ("count", "of", "share")
    header += [f"{part}_{measure}" for part in parts for measure in measures]
    rows = [
        [row.code, row.label["zh"], row.label["en"], row.value, row.basis, row.source_section]
        + [getattr(getattr(row, part), measure) for part in parts for measure in measures]
        for family in context.families
        for row in family.rows
    ]
    name = f"{context.unit.slug}_{context.year}_cells.csv"
    return [(name, csv_text(header, rows).encode("utf-8"))]


def _charts(charts_dir: Path | None, lang: str) -> dict[str, Path]:
    """The charts of a language by name (tasks.zh.svg -> tasks)."""
    if charts_dir is None:
        return {}
    return {path.name.split(".")[0]: path for path in charts_dir.glob(f"*.{lang}.svg")}


def write_assets(out_dir: Path, templates: Path = TEMPLATES) -> None:
    """Rule `assets`: the site's stylesheet and WOFF2 fonts under reports/{year}/assets/."""
    fonts = out_dir / "fonts"
    for path in font_files().values():
        woff2 = path.with_suffix(".woff2")
        write_bytes(fonts / woff2.name, woff2.read_bytes())
    write_text(out_dir / "report.css", f"@import url(fonts.css);\n{(templates / 'report.css').read_text()}")
    write_text(out_dir / "fonts.css", font_css("site"))
    write_bytes(out_dir / "favicon.svg", (templates / "favicon.svg").read_bytes())
