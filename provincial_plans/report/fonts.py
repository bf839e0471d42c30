"""CJK fonts the reports are set in, built once from a PyPI package.

A full variable CJK font makes every PDF take ~8 s; static Regular/Bold subsets (GB 2312 hanzi, CJK
punctuation, Latin) take ~0.5 s. They are cut here from the OFL Noto Sans CJK collection shipped by the
`manimgx-fonts-cjk` wheel: pick the SC face, subset it while still variable, pin `wght` at 400 and 700 and
downgrade CFF2 to CFF so that PDF viewers and WeasyPrint embed plain CFF. Nothing is fetched at run time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from importlib import resources
from pathlib import Path

from provincial_plans.core.errors import PipelineError

FAMILY = "Noto Sans SC Report"
LATIN_FAMILY = "DejaVu Sans Report"  # English text: DejaVu Sans as matplotlib ships it
WEIGHTS = {"Regular": 400, "Bold": 700}
LATIN_FILES = {"Regular": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf"}
SC_FACE_INDEX = 2  # order in NotoSansCJK-VF.otf.ttc: JP, KR, SC, TC, HK
SOURCE_PACKAGE = "manimgx_fonts_cjk"
SOURCE_FILE = "NotoSansCJK-VF.otf.ttc"
# Bump when the subset or the build changes: it keys the user cache.
BUILD_VERSION = "4"


def font_dir() -> Path:
    """Where the built fonts live: $PIPELINE_FONT_DIR, else inside the active environment."""
    override = os.environ.get("PIPELINE_FONT_DIR")
    if override:
        return Path(override)
    return Path(sys.prefix) / "share" / "provincial-plans" / "fonts"


def font_files() -> dict[tuple[str, str], Path]:
    """Font files by (family, style); a clear error if `python -m provincial_plans fonts` has not run."""
    directory = font_dir()
    files = {(FAMILY, style): directory / f"NotoSansSC-{style}.otf" for style in WEIGHTS}
    files |= {(LATIN_FAMILY, style): directory / name for style, name in LATIN_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise PipelineError(
            f"{missing[0]}: font not built; run `make reports` or `python -m provincial_plans fonts` first"
        )
    return files


def subset_unicodes() -> set[int]:
    """GB 2312 (all of level 1 and 2 hanzi and symbols), CJK and full-width punctuation, Latin-1 and friends."""
    codepoints: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for start, end in ((0x2000, 0x2070), (0x2100, 0x2200), (0x2460, 0x2500), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        codepoints |= set(range(start, end))
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                codepoints.add(ord(bytes((lead, trail)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return codepoints


def _source_path() -> Path:
    return Path(str(resources.files(SOURCE_PACKAGE).joinpath(SOURCE_FILE)))


def _build_weight(source: str, style: str, out_dir: str) -> str:
    """Subset the variable SC face, pin its weight, write OTF (for PDF) and WOFF2 (for HTML)."""
    from fontTools import subset  # only to build or measure the fonts, never in a render job
    from fontTools.ttLib import TTFont  # only to build or measure the fonts, never in a render job
    from fontTools.varLib import instancer  # only to build or measure the fonts, never in a render job

    # recalcTimestamp=False: the files keep the source's dates, so that every environment (.venv, .venv-cluster, a
    # rebuild next year) cuts the same bytes and the PDFs that embed them stay the same.
    font = TTFont(source, fontNumber=SC_FACE_INDEX, recalcTimestamp=False)
    # Only horizontal kerning survives: `locl` and friends would pull in the JP/KR/TC alternates and double
    # the glyph count, and WeasyPrint's per-PDF subsetting costs time in proportion to it.
    options = subset.Options(layout_features=["kern"], name_IDs=["*"], notdef_outline=True)
    options.drop_tables += ["vhea", "vmtx", "VORG", "VVAR", "STAT", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset_unicodes())
    subsetter.subset(font)
    static = instancer.instantiateVariableFont(
        font, {"wght": WEIGHTS[style]}, updateFontNames=False, downgradeCFF2=True
    )
    # Hints and subroutines go now (they cannot go before instancing), so each PDF need not remove them.
    final = subset.Options(
        layout_features=["kern"],
        name_IDs=["*"],
        notdef_outline=True,
        hinting=False,
        desubroutinize=True,
        glyph_names=False,
    )
    subsetter = subset.Subsetter(final)
    subsetter.populate(unicodes=subset_unicodes())
    subsetter.subset(static)
    _rename(static, style)
    otf = Path(out_dir) / f"NotoSansSC-{style}.otf"
    static.save(otf)
    static.flavor = "woff2"
    static.save(otf.with_suffix(".woff2"))
    return str(otf)


def _rename(font, style: str) -> None:
    """Give the instance its own family and style names (the VF's default names say 'Thin')."""
    name = font["name"]
    for record_id in (16, 17, 21, 22):
        name.removeNames(nameID=record_id)
    postscript = f"NotoSansSCReport-{style}"
    for record_id, value in ((1, FAMILY), (2, style), (3, postscript), (4, f"{FAMILY} {style}"), (6, postscript)):
        name.setName(value, record_id, 3, 1, 0x409)
        name.setName(value, record_id, 1, 0, 0)
    bold = style == "Bold"
    font["OS/2"].usWeightClass = WEIGHTS[style]
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b1100001) | (0b100000 if bold else 0b1000000)
    font["head"].macStyle = 1 if bold else 0


def _cache_dir(source: Path) -> Path:
    stat = source.stat()
    key = hashlib.sha256(f"{BUILD_VERSION}:{source.name}:{stat.st_size}".encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "provincial-plans" / "fonts" / key


def build_fonts(force: bool = False) -> dict[str, Path]:
    """Build (or copy from the user cache) the static fonts into font_dir()."""
    target = font_dir()
    wanted = [f"NotoSansSC-{style}.{ext}" for style in WEIGHTS for ext in ("otf", "woff2")]
    latin = [Path(name) for name in LATIN_FILES.values()]
    done = [*wanted, *(str(name) for name in latin), *(str(name.with_suffix(".woff2")) for name in latin)]
    if not force and all((target / name).is_file() for name in done):
        return font_files()
    source = _source_path()
    cache_dir = _cache_dir(source)
    if force or not all((cache_dir / name).is_file() for name in wanted):
        staging = cache_dir.with_name(cache_dir.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with ProcessPoolExecutor(max_workers=len(WEIGHTS)) as pool:
            list(pool.map(_build_weight, [str(source)] * len(WEIGHTS), list(WEIGHTS), [str(staging)] * 2))
        shutil.rmtree(cache_dir, ignore_errors=True)
        staging.rename(cache_dir)
    target.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        shutil.copyfile(cache_dir / name, target / name)
    _copy_latin(target, latin)
    return font_files()


def _copy_latin(target: Path, names: list[Path]) -> None:
    """DejaVu Sans from matplotlib's own data, plus WOFF2 copies for the HTML site."""
    import matplotlib  # 1.8 s: for the charts only, never in a render job
    from fontTools.ttLib import TTFont  # only to build or measure the fonts, never in a render job

    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in names:
        font = TTFont(source / name, recalcTimestamp=False)
        name_table = font["name"]
        for record_id in (16, 17):
            name_table.removeNames(nameID=record_id)
        name_table.setName(LATIN_FAMILY, 1, 3, 1, 0x409)
        name_table.setName(LATIN_FAMILY, 1, 1, 0, 0)
        font.save(target / name)
        font.flavor = "woff2"
        font.save(target / name.with_suffix(".woff2"))


def report_families(lang: str) -> list[str]:
    """The font families text is set in, the edition's own first: the charts' SVG text names the same families as
    the report's @font-face rules, so the browser and WeasyPrint set it in the fonts matplotlib measured."""
    return [FAMILY, LATIN_FAMILY] if lang == "zh" else [LATIN_FAMILY, FAMILY]


def font_family_css(lang: str) -> str:
    """report_families() as an SVG font-family, as matplotlib writes it: the generic sans-serif last, for a chart
    opened on its own, away from the report's fonts."""
    return ", ".join([*(f"'{family}'" for family in report_families(lang)), "sans-serif"])


@cache
def register_matplotlib() -> None:
    """Register the report's fonts (both families, both weights) with matplotlib once per process."""
    import matplotlib  # 1.8 s: for the charts only, never in a render job
    from matplotlib import font_manager  # (see the line above)

    for path in font_files().values():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["axes.unicode_minus"] = False
