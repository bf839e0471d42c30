"""Message catalogues (data/messages/{lang}.yaml) and the typography of each edition.

Every visible string comes from a catalogue; a missing key stops the build naming it. Placeholders take
language-neutral values: ints (counts), floats (shares, shown as percentages), {zh, en} names, lists of
either, and labelled figures ({label, count, of, share}).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from provincial_plans.core import schemas
from provincial_plans.core.errors import PipelineError
from provincial_plans.core.inputs import read_yaml

LANGUAGES = ("zh", "en")
DATE_NOTE = re.compile(r" \((published|reported) ([0-9]{4}(?:-[0-9]{2}){0,2})\)")
UNCERTAIN_DATE = re.compile(r"^(.+)\?$")  # the catalogue's "2017?": a year its source gives with doubt
TABLE_REFERENCE = re.compile(r"\bTable (\d+)\b")


class Worded(Protocol):
    """A finding as this module words it (analysis.records.Finding)."""

    id: str
    text: Mapping[str, str]
    params: dict[str, Any]


@dataclass(frozen=True)
class Messages:
    lang: str
    path: Path
    catalogue: dict[str, str]

    def __call__(self, key: str, **params: Any) -> str:
        try:
            template = self.catalogue[key]
        except KeyError:
            raise PipelineError(f"{self.path}: missing message key '{key}'") from None
        if not params:
            return template
        return self.format(template, params, f"{self.path}: message '{key}'")

    def format(self, template: str, params: dict[str, Any], what: str) -> str:
        """A template's placeholders filled with values in this edition's typography."""
        fields = placeholders(template)
        values = {name: self.value(params[name]) for name in fields if name in params}
        absent = sorted(fields - values.keys())
        if absent:
            raise PipelineError(f"{what} needs a value for '{absent[0]}'")
        return template.format(**values)

    def finding(self, finding: Worded) -> str:
        """A finding of analysis.conclusions in this edition: its rule's text with the figures it cites."""
        return self.format(finding.text[self.lang], finding.params, f"conclusions rule '{finding.id}'")

    def value(self, value: Any) -> str:
        """One placeholder value in this edition's typography."""
        if isinstance(value, bool) or value is None:
            raise PipelineError(f"{self.path}: no wording for the value {value!r}")
        if isinstance(value, float):
            return self.percent(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and "label" in value:
            return self(
                "figure.labelled", label=value["label"], count=value["count"], of=value["of"], share=value["share"]
            )
        if isinstance(value, dict):
            return value[self.lang]
        if isinstance(value, list):
            return self.join([self.value(item) for item in value])
        raise PipelineError(f"{self.path}: no wording for the value {value!r}")

    def section(self, reference: str) -> str:
        """A section of the study as the edition writes it: 'III.3 / Table 4' reads 'III.3 / 表4' in Chinese."""
        return TABLE_REFERENCE.sub(lambda match: self("source.table", n=int(match[1])), reference)

    def date(self, text: str) -> str:
        """A catalogue date as the edition writes it: '2016-09 (published 2016-09-29)' reads
        '2016-09（2016-09-29公布）' in Chinese, '2017?' '2017（存疑）'."""
        text = UNCERTAIN_DATE.sub(lambda match: self("date.uncertain", date=match[1]), text)
        return DATE_NOTE.sub(lambda match: self(f"date.{match[1]}", date=match[2]), text)

    def address(self, text: str) -> str:
        """A catalogue address; its '(unverified)' note in the edition's words."""
        return text.replace(" (unverified)", self("address.unverified"))

    def percent(self, share: float | None) -> str:
        if share is None:
            return self("status.unknown")
        return f"{share * 100:.1f}%"

    def join(self, items: list[str]) -> str:
        if self.lang == "zh":
            return "、".join(items)
        if len(items) <= 2:
            return " and ".join(items)
        return ", ".join(items[:-1]) + ", and " + items[-1]

    def fraction(self, count: int | None, of: int | None, share: float | None) -> str:
        """'30/31 (96.8%)', or 'not reported' when the share is unknown."""
        if share is None or count is None:
            return self("status.unknown")
        return self("figure.fraction", count=count, of=of, share=share)


def load_messages(messages_dir: Path, lang: str) -> Messages:
    """A catalogue, valid against schemas.MESSAGES (a mapping of non-empty texts).

    The schema is first checked here in Python: jsonschema, whose import costs every job 0.2 s, runs only on a
    catalogue that fails, to word the error and name its line.
    """
    path = messages_dir / f"{lang}.yaml"
    catalogue = read_yaml(path)
    if not (isinstance(catalogue, dict) and all(isinstance(text, str) and text for text in catalogue.values())):
        catalogue = read_yaml(path, schemas.MESSAGES)  # raises InputError
    return Messages(lang, path, catalogue)


def both_catalogues(messages_dir: Path) -> tuple[Messages, Messages]:
    """(zh, en), for the outputs that carry both languages at once (the index pages, the workbook)."""
    return load_messages(messages_dir, "zh"), load_messages(messages_dir, "en")


def check_catalogues(messages_dir: Path) -> None:
    """Both catalogues carry the same keys and the same placeholders in each message."""
    loaded = {lang: load_messages(messages_dir, lang) for lang in LANGUAGES}
    reference = loaded["en"]
    for lang, messages in loaded.items():
        for key in reference.catalogue.keys() - messages.catalogue.keys():
            raise PipelineError(f"{messages.path}: missing message key '{key}'")
        for key in messages.catalogue.keys() - reference.catalogue.keys():
            raise PipelineError(f"{reference.path}: missing message key '{key}' (present in {lang})")
        for key, text in messages.catalogue.items():
            if placeholders(text) != placeholders(reference.catalogue[key]):
                raise PipelineError(f"{messages.path}: message '{key}' has placeholders that differ from en")


def placeholders(template: str) -> set[str]:
    """The {names} a message or rule text fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
