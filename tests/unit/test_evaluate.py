"""`python -m provincial_plans evaluate`: the coder against a gold coding, cell by cell and sentence by sentence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from provincial_plans.__main__ import main
from provincial_plans.coding.evaluate import evaluate, wilson
from provincial_plans.coding.reliability import cohen_kappa
from provincial_plans.coding.scores import metric_rows
from provincial_plans.core.errors import InputError, PipelineError

MARK = "合成测试文本（synthetic test fixture），并非任何地区的真实政策。\n"
PLATFORM = "2017年底前，建成覆盖全省的一体化网上政务服务平台。"
CATALOGUE = "全面梳理政务服务事项，编制并公布省市县三级政务服务事项目录。"
WINDOW = "推行“一窗受理、集成服务”模式；实现政务服务事项“一网通办”。"


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text(MARK + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def gold(folder: Path, *rows: tuple[str, ...]) -> Path:
    path = folder / "gold.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["doc", "code", "sentence", "note"])
        writer.writerows([*row, *[""] * (4 - len(row))] for row in rows)
    return path


def row(result, level: str, name: str) -> dict:
    return next(item for item in metric_rows(result) if item["level"] == level and item["name"] == name)


def test_a_code_the_reader_left_out_is_a_false_positive_with_its_sentence(tmp_path):
    plan = write(tmp_path, "synthetic_a.txt", PLATFORM, CATALOGUE)
    result = evaluate(gold(tmp_path, ("synthetic_a.txt", "task.platform")), [plan], prefixes=["task"])
    catalogue = row(result, "code", "task.catalogue")
    assert (catalogue["tp"], catalogue["fp"], catalogue["fn"], catalogue["precision"]) == (0, 1, 0, 0.0)
    wrong = [item for item in result.disagreements if item.code == "task.catalogue"]
    assert [item.kind for item in wrong] == ["false positive"]
    assert wrong[0].sentence == CATALOGUE and wrong[0].keyword in CATALOGUE


def test_a_code_the_machine_misses_is_a_false_negative_naming_the_readers_sentence(tmp_path):
    plan = write(tmp_path, "synthetic_b.txt", CATALOGUE, "各地要确保群众办事更加方便。")
    reader = gold(
        tmp_path, ("synthetic_b.txt", "task.catalogue"), ("synthetic_b.txt", "task.platform", "群众办事更加方便")
    )
    result = evaluate(reader, [plan], prefixes=["task.platform", "task.catalogue"])
    platform = row(result, "code", "task.platform")
    assert (platform["tp"], platform["fn"], platform["recall"]) == (0, 1, 0.0)
    missed = next(item for item in result.disagreements if item.code == "task.platform")
    assert (
        missed.kind == "false negative" and missed.sentence == "各地要确保群众办事更加方便。" and missed.gold_line == 3
    )
    overall = row(result, "overall", "all")
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 0, 1)


def test_a_sub_code_in_the_gold_implies_its_parent(tmp_path):
    plan = write(tmp_path, "synthetic_c.txt", WINDOW)
    reader = gold(tmp_path, ("synthetic_c.txt", "content.platform_integration.one_window"))
    result = evaluate(reader, [plan], prefixes=["content.platform_integration"])
    parent = row(result, "code", "content.platform_integration")
    assert parent["gold"] == 1 and parent["tp"] == 1


def test_a_sub_codes_sentence_is_its_parents_too_when_the_reader_lists_the_parents_own(tmp_path):
    joined = "推动省直部门业务系统与网上办事大厅互联互通。"
    plan = write(tmp_path, "synthetic_c2.txt", joined, WINDOW)
    reader = gold(
        tmp_path,
        ("synthetic_c2.txt", "content.platform_integration", "业务系统与网上办事大厅"),
        ("synthetic_c2.txt", "content.platform_integration.one_window", "一窗受理"),
        ("synthetic_c2.txt", "content.platform_integration.one_network", "一网通办"),
    )
    result = evaluate(reader, [plan], prefixes=["content.platform_integration"])
    assert not [item for item in result.disagreements if item.kind == "wrong sentence"]
    # the parent's two sentences and each sub-code's one: the sentence named by both sub-codes counts once
    assert (result.sentences["named"], result.sentences["found"]) == (4, 4)
    assert result.sentences["right"] == result.sentences["evidence"] > 0


def test_evidence_in_a_clause_of_the_readers_sentence_is_right_and_elsewhere_wrong(tmp_path):
    plan = write(
        tmp_path,
        "synthetic_d.txt",
        "到2017年底，全省政务服务事项目录全部公开；网上办事大厅功能更加完善。",
        "依托网上办事大厅开展满意度调查。",
    )
    reader = gold(tmp_path, ("synthetic_d.txt", "task.platform", "到2017年底，全省政务服务事项"))
    result = evaluate(reader, [plan], prefixes=["task.platform"])
    assert result.sentences["evidence"] == 2  # both sentences name the online hall
    assert result.sentences["right"] == 1 and result.sentences["precision"] == 0.5  # the clause after ； is right
    assert (result.sentences["named"], result.sentences["found"], result.sentences["recall"]) == (1, 1, 1.0)
    wrong = [item for item in result.disagreements if item.kind == "wrong sentence"]
    assert [item.sentence for item in wrong] == ["依托网上办事大厅开展满意度调查。"]


def test_a_fragment_cut_inside_a_reposts_pinyin_gloss_is_found_as_the_text_drops_the_gloss(tmp_path):
    plan = write(tmp_path, "synthetic_g.txt", "2017年底前，建成全省統(tǒng)一的網(wǎng)上政務(wù)服務(wù)平臺。")
    for fragment in ("建成全省統(tǒng)一的網(wǎng)上政務(wù", "建成全省統(", "ǒng)一的網(wǎng)上政務"):
        result = evaluate(gold(tmp_path, ("synthetic_g.txt", "task.platform", fragment)), [plan], prefixes=["task"])
        assert (result.sentences["named"], result.sentences["found"]) == (1, 1), fragment


def test_a_document_without_codes_is_one_row_with_an_empty_code(tmp_path):
    plan = write(tmp_path, "synthetic_e.txt", "本文件自印发之日起施行。")
    result = evaluate(gold(tmp_path, ("synthetic_e.txt", "")), [plan])
    overall = row(result, "overall", "all")
    assert overall["gold"] == 0 and overall["machine"] == 0 and overall["precision"] is None
    assert result.agreement["all"]["alpha"] is None  # no variation at all: not defined, never 1


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ((("synthetic_f.txt", "task.nothing"),), "line 2: unknown code 'task.nothing'"),
        ((("synthetic_f.txt", "goal2017.distinct"),), "line 2: code 'goal2017.distinct' is coded by people"),
        ((("synthetic_f.txt", "task.platform", "平台"),), "line 2: sentence fragment '平台' is shorter than 4"),
        (
            (("synthetic_f.txt", "task.platform", "不在文中的句子片段"),),
            "line 2: sentence fragment '不在文中的句子片段' is not",
        ),
        ((("synthetic_f.txt", "", "一体化网上政务服务平台"),), "line 2: a sentence without a code"),
    ],
)
def test_a_bad_gold_row_is_named_by_its_line(tmp_path, rows, problem):
    plan = write(tmp_path, "synthetic_f.txt", PLATFORM)
    with pytest.raises(InputError, match=problem.replace("(", r"\(")):
        evaluate(gold(tmp_path, *rows), [plan])


def second(folder: Path, *rows: tuple[str, ...]) -> Path:
    """A second reader's gold file, beside the first."""
    (folder / "second").mkdir(exist_ok=True)
    return gold(folder / "second", *rows)


def test_a_second_reader_is_scored_in_the_machines_place(tmp_path):
    plan = write(tmp_path, "synthetic_r.txt", PLATFORM, CATALOGUE, WINDOW)
    first = gold(
        tmp_path, ("synthetic_r.txt", "task.platform", "一体化网上政务服务平台"), ("synthetic_r.txt", "task.catalogue")
    )
    # the second finds the platform in the same sentence, misses the catalogue, and finds one window citing nothing
    other = second(
        tmp_path,
        ("synthetic_r.txt", "task.platform", "建成覆盖全省"),
        ("synthetic_r.txt", "content.platform_integration.one_window"),
    )
    result = evaluate(first, [plan], prefixes=["task", "content.platform_integration"], second_reader=other)
    assert result.against == "second reader"
    overall = row(result, "overall", "all")
    # one window implies platform integration: two codes the first reader did not find, one found by both
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 2, 1)
    kinds = {(item.kind, item.code, item.sentence) for item in result.disagreements}
    assert ("false negative", "task.catalogue", "") in kinds  # the first reader named no sentence for it
    assert ("false positive", "content.platform_integration.one_window", "") in kinds  # nor the second
    assert (result.sentences["evidence"], result.sentences["right"]) == (1, 1)  # the platform's sentence, shared


def test_a_second_reader_who_names_no_sentences_is_scored_on_cells_only(tmp_path):
    plan = write(tmp_path, "synthetic_s.txt", PLATFORM, CATALOGUE)
    first = gold(tmp_path, ("synthetic_s.txt", "task.platform", "一体化网上政务服务平台"))
    other = second(tmp_path, ("synthetic_s.txt", "task.platform"))
    result = evaluate(first, [plan], prefixes=["task"], second_reader=other)
    assert (row(result, "overall", "all")["tp"], row(result, "overall", "all")["fp"]) == (1, 0)
    assert result.sentences["named"] == 0 and result.sentences["evidence"] == 0  # not a missed sentence


def test_a_second_reader_must_code_every_document(tmp_path):
    plan, other_plan = write(tmp_path, "synthetic_t.txt", PLATFORM), write(tmp_path, "synthetic_u.txt", CATALOGUE)
    first = gold(tmp_path, ("synthetic_t.txt", "task.platform"), ("synthetic_u.txt", "task.catalogue"))
    other = second(tmp_path, ("synthetic_t.txt", "task.platform"))
    with pytest.raises(PipelineError, match="second/gold.csv: no row for synthetic_u.txt"):
        evaluate(first, [plan, other_plan], second_reader=other)


def test_evaluate_command_scores_a_second_reader_when_asked(tmp_path, capsys):
    plan = write(tmp_path, "synthetic_v.txt", PLATFORM, CATALOGUE)
    first = gold(tmp_path, ("synthetic_v.txt", "task.platform"), ("synthetic_v.txt", "task.catalogue"))
    other = second(tmp_path, ("synthetic_v.txt", "task.platform"))
    arguments = ["evaluate", "--gold", str(first), str(plan), "--codes", "task", "--second-reader", str(other)]
    assert main([*arguments, "--out", str(tmp_path / "r.json")]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].split()[:2] == ["gold", "second"]  # the column of the one scored
    assert "recall 0.500 (1 of 2 codes the reader found; " in printed
    assert "precision 1.000 (1 of 1 codes the second reader found; " in printed
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["against"] == "second reader"


def test_a_document_the_gold_does_not_mention_is_refused(tmp_path):
    plan = write(tmp_path, "synthetic_g.txt", PLATFORM)
    other = write(tmp_path, "synthetic_h.txt", CATALOGUE)
    with pytest.raises(PipelineError, match="no row for synthetic_h.txt"):
        evaluate(gold(tmp_path, ("synthetic_g.txt", "task.platform")), [plan, other])


def test_cohens_kappa_matches_published_worked_examples():
    # 2 × 2 tables (both yes, first only, second only, both no) with kappa worked out by hand from the formula:
    # (20, 5, 10, 15): observed 0.70, chance 0.50 -> 0.40; (45, 15, 25, 15): observed 0.60, chance 0.54 -> 0.1304
    def codings(both: int, first: int, second: int, neither: int) -> tuple[list[int], list[int]]:
        return [1] * both + [1] * first + [0] * second + [0] * neither, [1] * both + [0] * first + [1] * second + [
            0
        ] * neither

    assert cohen_kappa(*codings(20, 5, 10, 15)) == pytest.approx(0.40)
    assert cohen_kappa(*codings(45, 15, 25, 15)) == pytest.approx(0.06 / 0.46)
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilsons_interval_matches_newcombes_published_table(successes, trials, low, high):
    """Newcombe (1998), Statistics in Medicine 17: 857–872, table I, method 3 (the score interval)."""
    assert wilson(successes, trials) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_a_share_of_nothing_has_no_interval(tmp_path):
    plan = write(tmp_path, "synthetic_w.txt", "各地要确保群众办事更加方便。")
    result = evaluate(gold(tmp_path, ("synthetic_w.txt", "")), [plan], prefixes=["task"])
    overall = row(result, "overall", "all")
    assert (overall["precision_low"], overall["recall_high"], result.sentences["precision_low"]) == (None, None, None)


def test_evaluate_command_prints_the_table_and_writes_json_and_csv(tmp_path, capsys):
    plan = write(tmp_path, "synthetic_i.txt", PLATFORM, CATALOGUE)
    reader = gold(tmp_path, ("synthetic_i.txt", "task.platform", "一体化网上政务服务平台"))
    status = main(
        [
            "evaluate",
            "--gold",
            str(reader),
            str(plan),
            "--codes",
            "task",
            "--out",
            str(tmp_path / "r.json"),
            "--out",
            str(tmp_path / "r.csv"),
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "false positive  synthetic_i.txt  task.catalogue" in printed
    assert "Krippendorff's alpha" in printed and "Cohen's kappa" in printed
    # one right of the two codes the machine found, the one the reader found: Wilson's 95 % intervals
    assert "precision 0.500 (1 of 2 codes the machine found; 0.095–0.905)" in printed
    assert "recall 1.000 (1 of 1 codes the reader found; 0.207–1.000)" in printed
    saved = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    overall = next(item for item in saved["metrics"] if item["level"] == "overall")
    assert (overall["precision_low"], overall["recall_high"]) == (pytest.approx(0.0945, abs=1e-4), 1.0)
    assert {item["name"] for item in saved["metrics"] if item["level"] == "family"} == {"task"}
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as stream:
        metrics = {line["name"]: line for line in csv.DictReader(stream)}
    assert metrics["task.platform"]["tp"] == "1" and metrics["task.catalogue"]["fp"] == "1"
    assert float(metrics["all"]["precision_high"]) == pytest.approx(0.9055, abs=1e-4)
    with (tmp_path / "r.disagreements.csv").open(encoding="utf-8-sig") as stream:
        assert [line["code"] for line in csv.DictReader(stream)] == ["task.catalogue"]


def test_evaluate_command_says_one_line_for_an_unknown_code_family(tmp_path, capsys):
    plan = write(tmp_path, "synthetic_j.txt", PLATFORM)
    assert main(["evaluate", "--gold", str(gold(tmp_path, ("synthetic_j.txt", ""))), str(plan), "--codes", "nope"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: --codes nope: no code of the codebook has such an id or family"
    ]


CLOUD = (
    "全面推行“云上帮办”，群众足不出户即可办事。",
    "各县区推行云上帮办模式，减少群众往返。",
    "据报道，云上帮办已在外省试行。",
)


def cloud_documents(folder: Path) -> tuple[Path, list[Path]]:
    """Two plans whose reader codes a service model the codebook has no word for, and a news item that names the
    same wording without the reader coding it."""
    files = [write(folder, f"synthetic_w{index}.txt", sentence) for index, sentence in enumerate(CLOUD)]
    reader = gold(
        folder,
        ("synthetic_w0.txt", "content.service_model", "全面推行“云上帮办”"),
        ("synthetic_w1.txt", "content.service_model", "推行云上帮办模式"),
        ("synthetic_w2.txt", ""),
    )
    return reader, files


def test_wordings_the_readers_missed_sentences_share_come_with_what_a_rule_would_cost(tmp_path):
    reader, files = cloud_documents(tmp_path)
    result = evaluate(reader, files, prefixes=["content.service_model"], wordings=True)
    assert row(result, "code", "content.service_model")["fn"] == 2  # the codebook has no word for it
    (wording,) = result.wordings
    assert (wording.code, wording.wording) == ("content.service_model", "云上帮办")
    # two documents it would add, one it would wrongly add; three sentences hold it, the reader named two
    assert (wording.documents_added, wording.documents_risked, wording.named, wording.sentences) == (2, 1, 2, 3)
    assert evaluate(reader, files, prefixes=["content.service_model"]).wordings == []  # only when asked


def test_a_wording_of_one_document_only_is_no_lead(tmp_path):
    reader, files = cloud_documents(tmp_path)
    result = evaluate(reader, files[:1] + files[2:], prefixes=["content.service_model"], wordings=True)
    assert result.wordings == []


def test_evaluate_command_prints_and_saves_the_wordings_when_asked(tmp_path, capsys):
    reader, files = cloud_documents(tmp_path)
    args = ["evaluate", "--gold", str(reader), *map(str, files), "--codes", "content.service_model", "--wordings"]
    assert main([*args, "--out", str(tmp_path / "w.csv"), "--out", str(tmp_path / "w.json")]) == 0
    assert "  content.service_model  云上帮办  +2 / -1  2 / 3" in capsys.readouterr().out
    with (tmp_path / "w.wordings.csv").open(encoding="utf-8-sig") as stream:
        (line,) = list(csv.DictReader(stream))
    assert (line["wording"], line["documents_added"], line["documents_risked"]) == ("云上帮办", "2", "1")
    saved = json.loads((tmp_path / "w.json").read_text(encoding="utf-8"))
    assert saved["wordings"][0]["wording"] == "云上帮办"


def test_wordings_tied_in_every_count_are_listed_in_a_fixed_order(tmp_path):
    """Ties used to follow the order a set of strings iterates in, which changes with each run's hash seed."""
    files = [write(tmp_path, f"synthetic_t{index}.txt", "推行掌心快审。", "推行云上帮办。") for index in range(2)]
    fragments = ("推行掌心快审", "推行云上帮办")
    reader = gold(tmp_path, *[(f"synthetic_t{i}.txt", "content.service_model", f) for i in range(2) for f in fragments])
    result = evaluate(reader, files, prefixes=["content.service_model"], wordings=True)
    assert [item.wording for item in result.wordings] == ["推行云上帮办", "推行掌心快审"]  # tied: by code point
