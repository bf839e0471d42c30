"""The report contract: contexts are typed records, written as JSON that the committed JSON Schema describes."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from provincial_plans.analysis.figures import Figures
from provincial_plans.contexts.contract import SCHEMA, context_text, json_schema, read_context, write_context
from provincial_plans.contexts.national import national_context
from provincial_plans.contexts.province import unit_context
from provincial_plans.core.errors import PipelineError


@pytest.fixture(scope="module")
def contexts(data_2017):
    figures = Figures(data_2017, "three")
    return national_context(data_2017, "three"), unit_context(data_2017, data_2017.unit("liaoning"), figures)


def test_the_committed_json_schema_is_the_one_the_contract_makes():
    """`python -m provincial_plans.contexts.contract` writes it; an edit of the contract must come with it."""
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json_schema()


def test_written_contexts_hold_to_the_json_schema(contexts):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for context in contexts:
        document = json.loads(context_text(context))
        jsonschema.validate(document, schema)
        assert document["kind"] == context.kind


def test_a_context_reads_back_as_the_record_it_was_written_from(contexts, tmp_path):
    for context in contexts:
        path = tmp_path / f"{context.kind}.json"
        assert write_context(path, context)
        assert read_context(path) == context
        assert not write_context(path, context)  # the same content: the file is left alone


def test_a_context_that_breaks_the_contract_is_one_line_naming_the_field(contexts, tmp_path):
    province = contexts[1]
    broken = replace(province, region_size="eleven")
    with pytest.raises(PipelineError, match=r"the province context breaks the report contract: .*\$\.region_size"):
        context_text(broken)
    path = tmp_path / "liaoning.json"
    path.write_text(context_text(province).replace('"coded":false', '"coded":"no"'), encoding="utf-8")
    with pytest.raises(PipelineError, match=rf"{path} breaks the report contract: Expected `bool`.*\$\.coded"):
        read_context(path)
