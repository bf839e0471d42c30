"""JSON Schemas of every input table (one row each) and YAML document, and the one-line wording of a failure."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    import jsonschema

# Formats a schema names with "format": checked by _formats(), worded by describe(). An empty string passes each
# (a column that may be blank); `minLength` says where it may not.
DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # year, month, day
# A catalogue's date as its sources give it: 2017, 2017?, 2016-12/2017-01, 2016-09 (published 2016-09-29)
CATALOGUE_DATE = re.compile(rf"{DATE.pattern}(?:\?|/{DATE.pattern}| \((?:published|reported) {DATE.pattern}\))?")
# A plan's signing or (re)posting date at the precision a page shows: a day, month or year, or a bound
# ("on/before 2017-05-04", "before 2017-06-20"); a final "?" marks a date the source infers (pipeline.dates)
PLAN_DATE = re.compile(rf"(?:(?P<qualifier>on/before|before) )?(?P<date>{DATE.pattern})(?P<doubt>\?)?")
WEB_ADDRESS = re.compile(r"https?://\S+")
WEB_ADDRESS_NOTED = re.compile(rf"{WEB_ADDRESS.pattern}(?: \([^()]*\))?")  # "http://… (unverified)"
# An HTML tag or comment. Names and titles are plain text, so a tag in one is a page's source pasted by mistake;
# `<互联网+政务服务>` (angle brackets standing for 《》) is no tag.
MARKUP = re.compile(r"</?[A-Za-z!?]")
FORMAT_WORDING = {
    "date": "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "catalogue-date": "is not a date (YYYY, YYYY-MM or YYYY-MM-DD, optionally with '?', '/' and a second date, "
    "or ' (published YYYY-MM-DD)')",
    "plan-date": "is not a date (YYYY, YYYY-MM or YYYY-MM-DD, optionally after 'on/before ' or 'before ', and "
    "with a final '?' where the source infers it)",
    "web-address": "is not an http:// or https:// address",
    "web-address-noted": "is not an http:// or https:// address (optionally followed by a note in parentheses)",
    "plain-text": "contains HTML markup; give the plain text",
}


def _real_dates(value: str) -> bool:
    """Every date in the value is in the calendar: no month 13, no 30 February."""
    for year, month, day in DATE.findall(value):
        try:
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return False
    return True


def _shaped(pattern: re.Pattern[str], value: object) -> bool:
    return not isinstance(value, str) or value == "" or pattern.fullmatch(value) is not None


@cache
def _formats() -> jsonschema.FormatChecker:
    import jsonschema  # 0.4 s: only when a file is checked, never in a render job

    formats = jsonschema.FormatChecker(formats=())
    for name, test in FORMATS.items():
        formats.checks(name)(test)
    return formats


# Two digits: a province, as the shipped data. Six: a county, allowed for generated synthetic reference sets
# (benchmarks/scale.py), so that the workflow can be measured at county scale.
GB_CODE = {"type": "string", "pattern": "^[1-6][0-9]([0-9]{4})?$"}
CODE_ID = {"type": "string", "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+){1,2}$"}
YEAR = {"type": "string", "pattern": "^(19|20)[0-9]{2}$"}
TEXT = {"type": "string"}
NONEMPTY = {"type": "string", "minLength": 1}
NAME = {"type": "string", "format": "plain-text"}

FACTS = {
    "type": "object",
    "required": ["year", "gb_code", "code", "value", "basis", "source_section"],
    "properties": {
        "year": YEAR,
        "gb_code": GB_CODE,
        "province": TEXT,
        "code": CODE_ID,
        "value": {"enum": ["0", "1"]},
        "basis": {"enum": ["stated", "stated_all", "stated_rest", "inferred_complement", "coded"]},
        "source_section": NONEMPTY,
        "note": TEXT,
        "note_zh": TEXT,
    },
    "additionalProperties": False,
}

AGGREGATES = {
    "type": "object",
    "required": ["year", "code", "provinces", "of", "source_section"],
    "properties": {
        "year": YEAR,
        "code": CODE_ID,
        "provinces": {"type": "string", "pattern": "^[0-9]+$"},
        "of": {"type": "string", "pattern": "^[1-9][0-9]*$"},
        "source_section": NONEMPTY,
        "note": TEXT,
    },
    "additionalProperties": False,
}

CATALOGUE = {
    "type": "object",
    "required": ["scope", "gb_code", "title", "doc_number", "issue_date", "status"],
    "properties": {
        "scope": {"enum": ["national", "province"]},
        "gb_code": {"anyOf": [GB_CODE, {"const": ""}]},
        "province": NAME,
        "title": NAME,
        "doc_number": NAME,
        "issue_date": {"type": "string", "format": "catalogue-date"},
        "official_address": {"type": "string", "format": "web-address-noted"},
        "status": {"enum": ["located", "title and number", "title only", "not located"]},
        "note": TEXT,
        # The columns below came with the re-check of December 2026; issue_date keeps the earlier catalogue's date.
        "notice_title": NAME,  # the title of the notice that issued the plan (关于印发…的通知), or a variant
        "date_signed": {"type": "string", "format": "plan-date"},  # 成文日期
        "date_published": {"type": "string", "format": "plan-date"},  # (re)posting date: an upper bound on signing
        "date_note": TEXT,
        # an official page that does not carry the plan's text: one citing it, a companion, a related document
        "related_address": {"type": "string", "format": "web-address-noted"},
        "related_kind": {"enum": ["", "citing", "companion", "related"]},
        "related_document": NAME,
        "confidence": TEXT,
        "evidence_url": {"type": "string", "format": "web-address"},  # provenance only: never fetched
    },
    "additionalProperties": False,
}

TARGETS = {
    "type": "object",
    "required": ["gb_code", "levels_covered", "departments_connected", "source"],
    "properties": {
        "gb_code": GB_CODE,
        "province": TEXT,
        "levels_covered": {"enum": ["", "1", "2", "3", "4", "5"]},
        "departments_connected": {"type": "string", "pattern": "^([0-9]+)?$"},
        "source": NONEMPTY,
    },
    "additionalProperties": False,
}

PROVINCES_GB2260 = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": GB_CODE, "name": NONEMPTY},
}

PROVINCES_ISO = {
    "type": "object",
    "required": ["iso_3166_2", "short_name_en", "short_name_zh", "full_name_en", "full_name_zh", "china_customs"],
    "properties": {"iso_3166_2": {"type": "string", "pattern": "^CN-[A-Z]{2}$"}, "china_customs": TEXT},
}

REGIONS_THREE = {
    "type": "object",
    "required": ["gb_code", "region3_zh", "region3_en"],
    "properties": {"gb_code": GB_CODE, "region3_en": {"enum": ["East", "Central", "West"]}},
}

REGIONS_NBS = {
    "type": "object",
    "required": ["gb_code", "nbs_region_zh", "nbs_region_en"],
    "properties": {"gb_code": GB_CODE, "nbs_region_en": {"enum": ["East", "Central", "West", "Northeast"]}},
}

# data/reference/layout_province_tiles.csv: where each province's square sits on the tile-grid map (model.layout)
TILES = {
    "type": "object",
    "required": ["gb_code", "col", "row"],
    "properties": {
        "gb_code": GB_CODE,
        "short_name_zh": TEXT,
        "col": {"type": "string", "pattern": "^[0-9]{1,2}$"},
        "row": {"type": "string", "pattern": "^[0-9]{1,2}$"},
    },
    "additionalProperties": False,
}

SLUG = {"type": "string", "pattern": "^[a-z0-9_]+$"}  # an id or reference in a data file: lower case, digits, _
VERSION = {"type": "string", "pattern": r"^[0-9]+\.[0-9]+\.[0-9]+$"}  # semantic version of a codebook or rule set

BILINGUAL = {
    "type": "object",
    "required": ["zh", "en"],
    "properties": {"zh": NONEMPTY, "en": NONEMPTY},
    "additionalProperties": False,
}


MESSAGES = {
    "type": "object",
    "additionalProperties": {"type": "string", "minLength": 1},
}


def describe(error: jsonschema.ValidationError) -> str:
    """A short, user-facing sentence for a schema failure."""
    where = ".".join(str(part) for part in error.absolute_path)
    value = error.instance
    if error.validator == "enum":
        allowed = ", ".join(repr(item) for item in error.validator_value)
        return f"{where or 'value'} {value!r} is not one of {allowed}"
    if error.validator == "pattern" and where == "gb_code":
        return f"gb_code {value!r} is not a GB/T 2260 code (two digits for a province, six for a county)"
    if error.validator == "pattern":
        return f"{where or 'value'} {value!r} is not valid (expected pattern {error.validator_value})"
    if error.validator == "required":
        return f"{where + ': ' if where else ''}{error.message}"
    if error.validator == "additionalProperties":
        return f"{where + ': ' if where else ''}{error.message}"
    if error.validator == "format":
        return f"{where or 'value'} {value!r} {FORMAT_WORDING[error.validator_value]}"
    if error.validator == "anyOf" and where == "gb_code":
        return f"gb_code {value!r} is not a GB/T 2260 code (two digits for a province, six for a county)"
    return f"{where + ': ' if where else ''}{error.message}"


# One validator per schema: a county-scale facts sheet has 180,000 rows, and building a validator per row cost
# seconds of DAG time.
_VALIDATORS: dict[int, tuple[dict[str, Any], Any]] = {}
_COMPILED: dict[int, tuple[dict[str, Any], Callable[[Any], Any] | None]] = {}


def check(document: Any, schema: dict[str, Any]) -> jsonschema.ValidationError | None:
    """The most relevant validation error of a document, if any.

    A validator compiled to Python (fastjsonschema) answers first: a valid document, by far the rule, costs a few
    microseconds (jsonschema took 0.4 ms a facts row, 0.17 s of every start) and needs no jsonschema, 0.4 s to
    import. An invalid one is checked again by jsonschema, whose error names the field and the problem; it alone
    decides, so the fast validator can only make a valid document cheaper, never an invalid one pass
    (tests/unit/test_inputs.py holds both to the same verdict)."""
    fast = _fast(schema)
    if fast is not None:
        try:
            fast(document)
            return None
        except fastjsonschema.JsonSchemaValueException:
            pass
    import jsonschema  # here, not at the top: only an invalid document needs it (0.4 s)

    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:  # the schema is kept, so its id cannot be reused meanwhile
        validator = jsonschema.Draft202012Validator(schema, format_checker=_formats())
        cached = _VALIDATORS[id(schema)] = (schema, validator)
    return jsonschema.exceptions.best_match(cached[1].iter_errors(document))


FORMATS: dict[str, Callable[[Any], bool]] = {
    "date": lambda value: _shaped(DATE, value) and _real_dates(str(value)),
    "catalogue-date": lambda value: _shaped(CATALOGUE_DATE, value) and _real_dates(str(value)),
    "plan-date": lambda value: _shaped(PLAN_DATE, value) and _real_dates(str(value)),
    "web-address": lambda value: _shaped(WEB_ADDRESS, value),
    "web-address-noted": lambda value: _shaped(WEB_ADDRESS_NOTED, value),
    "plain-text": lambda value: not isinstance(value, str) or MARKUP.search(value) is None,
}


def _fast(schema: dict[str, Any]) -> Callable[[Any], Any] | None:
    """The schema compiled by fastjsonschema, once; None where it cannot compile it (a draft it does not know)."""
    cached = _COMPILED.get(id(schema))
    if cached is None or cached[0] is not schema:
        plain = {key: value for key, value in schema.items() if key != "$schema"}  # every keyword used is draft 7's
        try:
            compiled = fastjsonschema.compile(plain, formats=FORMATS)
        except fastjsonschema.JsonSchemaDefinitionException:
            compiled = None
        cached = _COMPILED[id(schema)] = (schema, compiled)
    return cached[1]


# data/{year}/documents.csv: one plan document a row, for the ingest stage (coding.ingest.read_manifest)
DOCUMENTS_MANIFEST = {
    "type": "object",
    "required": ["unit", "doc_id", "title", "doc_number", "issue_date", "file", "source_url"],
    "properties": {
        "unit": NONEMPTY,
        "doc_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "title": {**NAME, "minLength": 1},
        "doc_number": NAME,
        "issue_date": {"type": "string", "format": "date"},
        "file": NONEMPTY,
        "source_url": {"type": "string", "format": "web-address"},
    },
    "additionalProperties": False,
}

# data/{year}/sources.csv: official addresses of plan documents, for the opt-in `acquire` command (ops.acquire)
SOURCES = {
    "type": "object",
    "required": ["unit", "doc_id", "url", "title"],
    "properties": {
        "unit": NONEMPTY,
        "doc_id": DOCUMENTS_MANIFEST["properties"]["doc_id"],
        "url": NONEMPTY,  # the scheme is checked by provincial_plans.ops.acquire, which names it
        "sha256": {"type": "string", "pattern": "^([0-9a-fA-F]{64})?$"},
        "title": NONEMPTY,
        "doc_number": TEXT,
        "issue_date": DOCUMENTS_MANIFEST["properties"]["issue_date"],
        "note": TEXT,
        # other hosts the address may redirect to, separated by spaces (provincial_plans.ops.acquire refuses any other)
        "redirect_hosts": {"type": "string", "pattern": "^([A-Za-z0-9.-]+( [A-Za-z0-9.-]+)*)?$"},
    },
    "additionalProperties": False,
}

# A gold coding for `python -m provincial_plans evaluate` (coding.evaluate): a careful reader's codes of some documents.
GOLD = {
    "type": "object",
    "required": ["doc", "code"],
    "properties": {
        "doc": NONEMPTY,  # a document's file name, as given to evaluate
        "code": {"anyOf": [CODE_ID, {"const": ""}]},  # empty: the reader found no code in the document
        "sentence": TEXT,  # a fragment of one instance sentence (optional)
        "note": TEXT,
    },
    "additionalProperties": False,
}
