"""Coding benchmark: the keyword matcher on four automaton libraries, at two densities of hits, on one core.

Run from the repository root as `python -m benchmarks.coding`. Two texts of TARGET_MB MB of UTF-8 each (1 MB =
10^6 bytes; a hanzi is 3 bytes), sentences normalised and split by coding.ingest, shuffled and repeated with a
fixed seed; each repeated sentence is a distinct string object, so a run streams through memory as real documents
would, and nothing is cached across sentences:
- dense: the synthetic corpus's sentences (tests/fixtures/synthetic_corpus), dense with keywords and negations
  (about one hit per 15 characters): the stress text;
- real: the same sentences diluted with plan-like filler sentences that hold no keyword (FILLER, written for this
  benchmark), as many as make one hit per REAL_CHARS_PER_HIT characters: the density of real plans.
Each text's hits per MB are in the table and the JSON (`texts`).

Rows of the first table, one per matcher of benchmarks.matchers (Hyperscan, which coding.matcher keeps, first),
on each text:
- `Matcher.scan`, the measured method: every sentence in one call, exclusions and crediting included, hits as
  numpy columns (provincial_plans.coding.coder.Coder.code calls it once per document);
- the pass alone: Matcher._find over the same passes of about CHUNK_CHARS characters (the text encoded for the
  library, its pass, the matches as arrays), no work per hit beyond that: what the library costs.
RUNS runs, interleaved (each run times every matcher on both texts in turn, so that the VM's drift, up to a third
over minutes, falls on all alike); medians reported. Times are CPU seconds of the process (time.process_time),
so that other jobs sharing the machine do not count. The second table, for the kept matcher on the dense text:
- `Matcher.match_many` called once per document of DOC_SENTENCES sentences (a plan's size), hits as lists of
  Hit: what each call costs on top (one run);
- `Matcher.match` per sentence, for comparison (one run, on the first BASELINE_MB, extrapolated);
- baseline: jieba with every codebook keyword added to its dictionary (`jieba.add_word`), tokenising each
  sentence and counting the tokens that are keywords, on the first BASELINE_MB and extrapolated (its dictionary
  load is not timed).
Before timing, every matcher's scan (through match_many) on the corpus's and the filler's sentences must equal
reference_match (str.find and re.search, no automaton, no prefilter) hit for hit, or the run stops. The process is
pinned to one CPU where the OS allows it.

Targets for the kept matcher's whole scan: ≥ TARGET_MBPS["real"] MB/s on the real text, ≥ TARGET_MBPS["dense"]
MB/s on the dense one, ≥ TARGET_RATIO × jieba; reported as met true/false (also per matcher), never asserted.
Results: tables on stdout, JSON in benchmarks/results/coding-<UTC time>.json and coding-latest.json.
"""

from __future__ import annotations

import logging
import os
import random
import re
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from provincial_plans.coding.ingest import ingest_document
from provincial_plans.coding.matcher import CHUNK_CHARS, SEPARATOR, Hit, Matcher
from provincial_plans.core.errors import InputError, PipelineError
from provincial_plans.model.codebook import Code, Codebook, load_codebook

from .matchers import KEPT, MATCHERS, label
from .record import ROOT, machine, save

CORPUS = ROOT / "tests" / "fixtures" / "synthetic_corpus"
FILLER = ROOT / "benchmarks" / "synthetic_filler.txt"
CODEBOOK = ROOT / "data" / "codebook.yaml"
SEED = 2017
TARGET_MB = 50.0
REAL_CHARS_PER_HIT = 60  # real plans: about one keyword hit per 60 characters
BASELINE_MB = 5.0
RUNS = 5
DOC_SENTENCES = 256
TARGET_MBPS = {"dense": 50.0, "real": 100.0}
TARGET_RATIO = 20.0
JIEBA_PIN = "jieba==0.42.1"
# Seconds of CPU this process used, not of the wall clock: other jobs on the machine (helpers, CI) then do not
# count against the matcher, which runs on one core in one thread (Hyperscan's scan too).
clock = time.process_time


def pin_one_cpu() -> int | None:
    """Run on one CPU, so "one core" is what is measured; None if the OS does not allow it.

    The last CPU this process may use: CPU 0 also serves most interrupts (on this project's VMs it measured
    a third slower), which would make the result depend on I/O elsewhere on the machine.
    """
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def corpus_sentences() -> list[str]:
    """The corpus's sentences as ingest gives them, less each file's first line (the synthetic-fixture notice)."""
    sentences: list[str] = []
    for path in sorted(CORPUS.glob("synthetic_plan_*.txt")):
        _, found = ingest_document(path, path.stem)
        sentences += [sentence.text for sentence in found[1:]]
    return sentences


def build_text(sentences: list[str], megabytes: float, seed: int) -> tuple[list[str], int]:
    """Shuffled rounds of the sentences until they reach `megabytes` of UTF-8; distinct string objects."""
    generator = random.Random(seed)
    target = int(megabytes * 1_000_000)
    text: list[str] = []
    size = 0
    while size < target:
        round_ = sentences[:]
        generator.shuffle(round_)
        for sentence in round_:
            encoded = sentence.encode("utf-8")
            text.append(encoded.decode("utf-8"))  # a new object, not a reference to the corpus string
            size += len(encoded)
            if size >= target:
                break
    return text, size


def filler_sentences(keywords: list[str]) -> list[str]:
    """FILLER's sentences as ingest gives them, less the first (the synthetic notice); one holding a keyword stops
    the run with the line it is on."""
    text, found = ingest_document(FILLER, FILLER.stem)
    for sentence in found[1:]:
        held = [keyword for keyword in keywords if keyword in sentence.text]
        if held:
            line = text.count("\n", 0, sentence.start) + 1
            raise InputError(FILLER, f"filler sentence holds the keyword '{held[0]}'; reword it", line)
    return [sentence.text for sentence in found[1:]]


def texts(matcher: Matcher, unique: list[str], filler: list[str], megabytes: float) -> dict[str, tuple[list[str], int]]:
    """The dense and the real text (sentences, bytes of UTF-8), each of `megabytes`.

    The real text's rounds are the corpus's sentences and, drawn in turn, as many filler sentences as make one of
    the matcher's hits per REAL_CHARS_PER_HIT characters.
    """
    hits = len(matcher.scan(unique).sentence)
    missing = hits * REAL_CHARS_PER_HIT - sum(map(len, unique))
    diluted = unique[:]
    while missing > 0:
        diluted.append(filler[(len(diluted) - len(unique)) % len(filler)])
        missing -= len(diluted[-1])
    return {"dense": build_text(unique, megabytes, SEED), "real": build_text(diluted, megabytes, SEED)}


def reference_match(codebook: Codebook, sentence: str) -> list[Hit]:
    """The coding rules of coding.matcher applied the plain way: str.find per keyword, re.search per exclusion.

    Hits ordered as the automaton gives them: by end, longer keyword first, then the keyword's codes (those that
    list it, in codebook order, then the parents they roll up to).
    """
    codes = {code.id: code for code in codebook.text_codes()}
    credited: dict[str, dict[str, list[Code]]] = {}  # keyword -> code id -> codes whose exclusions guard the hit
    for code in codes.values():
        for keyword in code.keywords:
            credited.setdefault(keyword, {})[code.id] = [code]
    for code in codes.values():
        if code.parent in codes:
            for keyword in code.keywords:
                credited[keyword].setdefault(code.parent, [code, codes[code.parent]])
    found: list[tuple[int, int, int, Hit]] = []
    for keyword, guarded in credited.items():
        start = sentence.find(keyword)
        while start != -1:
            for rank, (code_id, guards) in enumerate(guarded.items()):
                if not any(re.search(pattern, sentence) for guard in guards for pattern in guard.exclusions):
                    end = start + len(keyword)
                    found.append((end, -len(keyword), rank, Hit(code_id, keyword, start, end)))
            start = sentence.find(keyword, start + 1)
    return [hit for *_, hit in sorted(found)]


def check_against_reference(matcher: Matcher, codebook: Codebook, sentences: list[str]) -> int:
    """Sentences checked: scan over all of them (in one match_many call) must give exactly reference_match's hits."""
    found = matcher.match_many(sentences)
    for index, (sentence, hits) in enumerate(zip(sentences, found, strict=True)):
        if hits != reference_match(codebook, sentence):
            raise AssertionError(f"scan differs from reference_match in sentence {index}: {sentence!r}")
    return len(sentences)


def passes(sentences: list[str]) -> list[str]:
    """The sentences joined into texts of about CHUNK_CHARS characters, as scan makes its passes."""
    joined: list[list[str]] = [[]]
    size = 0
    for sentence in sentences:
        if size >= CHUNK_CHARS:
            joined.append([])
            size = 0
        joined[-1].append(sentence)
        size += len(sentence) + 1
    return [SEPARATOR.join(part) for part in joined]


def time_matchers(matchers: dict[str, Matcher], built: dict[str, tuple[list[str], int]]) -> dict[str, Any]:
    """{text: {matcher: {"scan": seconds of each run, "pass": seconds of each run, "hits": of a scan}}}.

    Runs interleaved: each run times every matcher on every text in turn, each run starting one matcher further
    down the list (the first after a change of text measured slower).
    """
    joined = {name: passes(sentences) for name, (sentences, _) in built.items()}
    times: dict[str, Any] = {text: {name: {"scan": [], "pass": []} for name in matchers} for text in built}
    names = list(matchers)
    for run in range(RUNS):
        for text, (sentences, _) in built.items():
            for name in names[run % len(names) :] + names[: run % len(names)]:
                matcher = matchers[name]
                start = clock()
                times[text][name]["hits"] = len(matcher.scan(sentences).sentence)
                middle = clock()
                for part in joined[text]:
                    matcher._find(part)
                times[text][name]["scan"].append(middle - start)
                times[text][name]["pass"].append(clock() - middle)
    return times


def time_documents(matcher: Matcher, sentences: list[str]) -> float:
    """Seconds for match_many called once per document of DOC_SENTENCES sentences."""
    match_many = matcher.match_many
    start = clock()
    for i in range(0, len(sentences), DOC_SENTENCES):
        match_many(sentences[i : i + DOC_SENTENCES])
    return clock() - start


def time_per_sentence(matcher: Matcher, sentences: list[str]) -> float:
    """Seconds for match() called once per sentence."""
    match = matcher.match
    start = clock()
    for sentence in sentences:
        match(sentence)
    return clock() - start


def time_jieba(keywords: set[str], sentences: list[str]) -> tuple[float, int]:
    """Seconds to tokenise the sentences with jieba (keywords in its dictionary) and count keyword tokens."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # loads the default dictionary: set-up, not timed
    for keyword in sorted(keywords):
        jieba.add_word(keyword)
    cut = jieba.lcut
    found = 0
    start = clock()
    for sentence in sentences:
        for token in cut(sentence):
            if token in keywords:
                found += 1
    return clock() - start, found


def benchmark() -> dict[str, Any]:
    cpu = pin_one_cpu()
    codebook = load_codebook(CODEBOOK)
    # a library of the bench extra that has no wheel for this platform (daachorse on ARM Linux) is named, not timed
    absent = [name for name, (distribution, _, _) in MATCHERS.items() if not _installed(distribution)]
    matchers = {name: cls(codebook) for name, (_, _, cls) in MATCHERS.items() if name not in absent}
    kept = matchers[KEPT]
    unique = corpus_sentences()
    filler = filler_sentences(kept.keywords)
    checked = unique + filler  # the texts below repeat these sentences
    for name, matcher in matchers.items():
        try:
            check_against_reference(matcher, codebook, checked)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
    built = texts(kept, unique, filler, TARGET_MB)
    times = time_matchers(matchers, built)

    described: dict[str, dict[str, Any]] = {}
    for text, (sentences, size) in built.items():
        hits = times[text][KEPT]["hits"]
        chars = sum(map(len, sentences))
        described[text] = {
            "mb": round(size / 1_000_000, 2),
            "sentences": len(sentences),
            "characters": chars,
            "hits": hits,
            "hits_per_mb": round(hits / (size / 1_000_000)),
            "characters_per_hit": round(chars / hits, 1),
        }

    def figures(name: str, text: str) -> dict[str, Any]:
        scan, pass_ = times[text][name]["scan"], times[text][name]["pass"]
        mbps = described[text]["mb"] / statistics.median(scan)
        return {
            "scan_mb_per_s": round(mbps, 1),
            "scan_runs_s": [round(t, 3) for t in scan],
            "pass_mb_per_s": round(described[text]["mb"] / statistics.median(pass_), 1),
            "pass_runs_s": [round(t, 3) for t in pass_],
            "met": mbps >= TARGET_MBPS[text],
        }

    libraries = [
        {
            "name": name,
            "library": label(name),
            "kept": name == KEPT,
            "identical_to_reference": {"sentences": len(checked), "identical": True},
            **{text: figures(name, text) for text in built},
        }
        for name in matchers
    ]

    sentences, size = built["dense"]
    megabytes = size / 1_000_000
    seconds = statistics.median(times["dense"][KEPT]["scan"])
    slice_size = 0
    baseline_sentences = []
    for sentence in sentences:
        if slice_size >= BASELINE_MB * 1_000_000:
            break
        baseline_sentences.append(sentence)
        slice_size += len(sentence.encode("utf-8"))
    keywords = {keyword for code in codebook.text_codes() for keyword in code.keywords}
    jieba_seconds, jieba_found = time_jieba(keywords, baseline_sentences)
    jieba_mb = slice_size / 1_000_000
    jieba_mbps = jieba_mb / jieba_seconds
    per_document = time_documents(kept, sentences)
    per_sentence = time_per_sentence(kept, baseline_sentences)

    def row(method: str, mb: float, seconds: float, **extra: Any) -> dict[str, Any]:
        mbps = mb / seconds
        return {
            "method": method,
            "mb": round(mb, 2),
            "seconds": round(seconds, 3),
            "mb_per_s": round(mbps, 2),
            "ratio": round(mbps / jieba_mbps, 1),
            **extra,
        }

    return {
        "machine": {**machine(), "pinned_cpu": cpu},
        "codebook_version": codebook.version,
        "codes": len(codebook.text_codes()),
        "keywords": len(keywords),
        "words": len(kept.words),
        "seed": SEED,
        "runs": RUNS,
        "doc_sentences": DOC_SENTENCES,
        "texts": described,
        "libraries": libraries,
        "not_installed": absent,
        "methods": [
            row("Matcher.scan, all sentences in one call", megabytes, seconds),
            row(f"Matcher.match_many, one call per document of {DOC_SENTENCES} sentences", megabytes, per_document),
            row("Matcher.match, one call per sentence", jieba_mb, per_sentence),
            row(
                f"jieba {version('jieba')} lcut + keyword count",
                jieba_mb,
                jieba_seconds,
                extrapolated_seconds_for_full_text=round(megabytes / jieba_mbps, 1),
                keyword_tokens=jieba_found,
            ),
        ],
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # KiB on Linux
        "targets": {
            "real_mb_per_s": TARGET_MBPS["real"],
            "dense_mb_per_s": TARGET_MBPS["dense"],
            "ratio_to_jieba": TARGET_RATIO,
        },
        "met": {
            "real_mb_per_s": libraries[0]["real"]["met"],
            "dense_mb_per_s": libraries[0]["dense"]["met"],
            "ratio_to_jieba": megabytes / seconds / jieba_mbps >= TARGET_RATIO,
        },
    }


def report(result: dict[str, Any]) -> None:
    """The results as Markdown tables, ready to paste into a pull request."""
    dense, real = result["texts"]["dense"], result["texts"]["real"]
    print(
        f"| library, text given as | dense text ({dense['hits_per_mb']:,} hits/MB): scan MB/s | pass alone "
        f"| real text ({real['hits_per_mb']:,} hits/MB): scan MB/s | pass alone | targets met (dense, real) |"
    )
    print("|---|---|---|---|---|---|")
    for library in result["libraries"]:
        kept = " (kept)" if library["kept"] else ""
        cells = [
            f"{library[text][column]:.1f}"
            for text in ("dense", "real")
            for column in ("scan_mb_per_s", "pass_mb_per_s")
        ]
        met = f"{str(library['dense']['met']).lower()}, {str(library['real']['met']).lower()}"
        print(f"| {library['library']}{kept} | {' | '.join(cells)} | {met} |")
    print(
        f"\nMedians of {result['runs']} interleaved runs on one core. Dense: {dense['mb']:.0f} MB, "
        f"{dense['sentences']} sentences, one hit per {dense['characters_per_hit']} characters; real: "
        f"{real['mb']:.0f} MB, {real['sentences']} sentences, one hit per {real['characters_per_hit']} characters. "
        f"{result['codes']} codes, {result['keywords']} keywords ({result['words']} words in the automaton), "
        f"codebook {result['codebook_version']}; MB = 10^6 bytes of UTF-8. Every matcher equals reference_match "
        f"on the {result['libraries'][0]['identical_to_reference']['sentences']} sentences the texts repeat.\n"
    )
    for name in result["not_installed"]:
        print(f"Not measured: {name} ({MATCHERS[name][0]} is not installed here; pip install '.[bench]').\n")
    print("| kept matcher, dense text | MB | seconds | MB/s | ratio |\n|---|---|---|---|---|")
    for row in result["methods"]:
        figures = f"{row['mb']:.1f} | {row['seconds']:.2f} | {row['mb_per_s']:.1f} | {row['ratio']:.1f}×"
        print(f"| {row['method']} | {figures} |")
    baseline = result["methods"][-1]
    print(
        f"\nmatch per sentence and jieba measured on the first {baseline['mb']:.1f} MB; jieba extrapolated "
        f"({baseline['extrapolated_seconds_for_full_text']:.0f} s for the full text); "
        f"{baseline['keyword_tokens']} keyword tokens."
    )
    cpu = result["machine"]["pinned_cpu"]
    print(f"Pinned to CPU {cpu}." if cpu is not None else "Not pinned to one CPU (no sched_setaffinity).")
    print(f"Peak RSS: {result['peak_rss_mib']:.0f} MiB")
    met, targets = result["met"], result["targets"]
    print(
        f"Targets ({KEPT}, the whole scan): ≥ {targets['real_mb_per_s']:g} MB/s at real density met: "
        f"{str(met['real_mb_per_s']).lower()}; ≥ {targets['dense_mb_per_s']:g} MB/s on the dense text met: "
        f"{str(met['dense_mb_per_s']).lower()}; ≥ {targets['ratio_to_jieba']:g}× jieba met: "
        f"{str(met['ratio_to_jieba']).lower()}"
    )


def main() -> int:
    if not _installed("jieba"):  # checked first: the baseline is part of the run
        sys.stderr.write(f"error: the jieba baseline needs {JIEBA_PIN}: pip install '{JIEBA_PIN}'\n")
        return 1
    now = datetime.now(UTC)
    try:
        result = {"date": now.isoformat(timespec="seconds"), **benchmark()}
    except PipelineError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    report(result)
    save("coding", now, result)
    return 0


def _installed(distribution: str) -> bool:
    try:
        version(distribution)
    except PackageNotFoundError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
