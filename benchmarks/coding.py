"""Coding benchmark: keyword matching speed on one core, against a jieba tokenising baseline.

Run from the repository root as `python -m benchmarks.coding`. The text is the synthetic corpus
(tests/fixtures/synthetic_corpus), normalised and split by pipeline.ingest, its sentences shuffled and repeated
with a fixed seed until they make TARGET_MB of UTF-8 (1 MB = 10^6 bytes; a hanzi is 3 bytes). Each repeated
sentence is a distinct string object, so the run streams through memory as real documents would.

Rows of the table:
- `Matcher.scan`, the measured method: every sentence in one call, as the workflow's `code` step makes it for a
  year's documents (pipeline.coder.Coder.code), exclusions included; the hits come back as numpy columns. It
  joins the sentences into passes of CHUNK_CHARS characters; RUNS runs, median;
- `Matcher.match_many` called once per document of DOC_SENTENCES sentences (a plan's size), hits as lists of
  Hit: what each call costs on top (one run);
- `Matcher.match` per sentence, for comparison (one run, on the first BASELINE_MB, extrapolated);
- the automaton pass alone, no work per hit (the same passes: joining, the text in the automaton's symbols, the
  pass): the ceiling any code on top of pyahocorasick stays under;
- baseline: jieba with every codebook keyword added to its dictionary (`jieba.add_word`), tokenising each
  sentence and counting the tokens that are keywords, on the first BASELINE_MB and extrapolated (its dictionary
  load is not timed).
Before timing, scan (through match_many) on the corpus's sentences must equal reference_match (str.find and
re.search, no automaton, no prefilter) hit for hit, or the run stops. The process is pinned to one CPU where the OS
allows it. Speed depends on how many keywords the text holds: the synthetic corpus is dense (see `hits_per_mb` in
the JSON); real plans hold fewer, which is faster. The text repeats the corpus's sentences, but nothing is cached
across sentences: each is matched and its exclusions decided as if it were new.

Targets: ≥ TARGET_MBPS MB/s and ≥ TARGET_RATIO × jieba; reported as met true/false, never asserted.
Results: a table on stdout, JSON in benchmarks/results/coding-<UTC time>.json and coding-latest.json.
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
from typing import Any

from pipeline.codebook import Code, Codebook, load_codebook
from pipeline.coding import CHUNK_CHARS, SEPARATOR, Hit, Matcher
from pipeline.ingest import ingest_document

from .record import ROOT, machine, save

CORPUS = ROOT / "tests" / "fixtures" / "synthetic_corpus"
CODEBOOK = ROOT / "data" / "codebook.yaml"
SEED = 2017
TARGET_MB = 50.0
BASELINE_MB = 5.0
RUNS = 3
DOC_SENTENCES = 256
TARGET_MBPS = 50.0
TARGET_RATIO = 20.0
JIEBA_PIN = "jieba==0.42.1"


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


def reference_match(codebook: Codebook, sentence: str) -> list[Hit]:
    """The coding rules of pipeline.coding applied the plain way: str.find per keyword, re.search per exclusion.

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


def time_scan(matcher: Matcher, sentences: list[str]) -> tuple[list[float], int]:
    """Seconds of each run of scan over all the sentences, and the hits of a run."""
    times = []
    hits = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        hits = len(matcher.scan(sentences).sentence)
        times.append(time.perf_counter() - start)
    return times, hits


def time_documents(matcher: Matcher, sentences: list[str]) -> float:
    """Seconds for match_many called once per document of DOC_SENTENCES sentences."""
    match_many = matcher.match_many
    start = time.perf_counter()
    for i in range(0, len(sentences), DOC_SENTENCES):
        match_many(sentences[i : i + DOC_SENTENCES])
    return time.perf_counter() - start


def time_per_sentence(matcher: Matcher, sentences: list[str]) -> float:
    """Seconds for match() called once per sentence."""
    match = matcher.match
    start = time.perf_counter()
    for sentence in sentences:
        match(sentence)
    return time.perf_counter() - start


def time_automaton(matcher: Matcher, sentences: list[str]) -> float:
    """Seconds for the automaton pass alone over passes of about CHUNK_CHARS characters, as scan makes them:
    joining the sentences, the text in the automaton's symbols and the pass, no work per hit."""
    passes: list[list[str]] = [[]]
    size = 0
    for sentence in sentences:
        if size >= CHUNK_CHARS:
            passes.append([])
            size = 0
        passes[-1].append(sentence)
        size += len(sentence) + 1
    automaton, symbols = matcher._automaton, matcher._symbols
    start = time.perf_counter()
    for part in passes:
        for _ in automaton.iter(symbols.text(SEPARATOR.join(part))):
            pass
    return time.perf_counter() - start


def time_jieba(keywords: set[str], sentences: list[str]) -> tuple[float, int]:
    """Seconds to tokenise the sentences with jieba (keywords in its dictionary) and count keyword tokens."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # loads the default dictionary: set-up, not timed
    for keyword in sorted(keywords):
        jieba.add_word(keyword)
    cut = jieba.lcut
    found = 0
    start = time.perf_counter()
    for sentence in sentences:
        for token in cut(sentence):
            if token in keywords:
                found += 1
    return time.perf_counter() - start, found


def benchmark() -> dict[str, Any]:
    cpu = pin_one_cpu()
    codebook = load_codebook(CODEBOOK)
    matcher = Matcher(codebook)
    keywords = {keyword for code in codebook.text_codes() for keyword in code.keywords}
    unique = corpus_sentences()
    checked = check_against_reference(matcher, codebook, unique)  # the text below repeats these sentences
    sentences, size = build_text(unique, TARGET_MB, SEED)
    times, hits = time_scan(matcher, sentences)
    seconds = statistics.median(times)
    megabytes = size / 1_000_000
    chars = sum(len(sentence) for sentence in sentences)

    slice_size = 0
    baseline_sentences = []
    for sentence in sentences:
        if slice_size >= BASELINE_MB * 1_000_000:
            break
        baseline_sentences.append(sentence)
        slice_size += len(sentence.encode("utf-8"))
    jieba_seconds, jieba_found = time_jieba(keywords, baseline_sentences)
    jieba_mb = slice_size / 1_000_000

    ours_mbps = megabytes / seconds
    jieba_mbps = jieba_mb / jieba_seconds
    ratio = ours_mbps / jieba_mbps
    per_document = time_documents(matcher, sentences)
    per_sentence = time_per_sentence(matcher, baseline_sentences)
    automaton = time_automaton(matcher, sentences)
    import jieba

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
        "seed": SEED,
        "sentences": len(sentences),
        "characters": chars,
        "hits_per_mb": round(hits / megabytes),
        "doc_sentences": DOC_SENTENCES,
        "identical_to_reference": {"sentences": checked, "identical": True},
        "methods": [
            row(
                "Matcher.scan, all sentences in one call",
                megabytes,
                seconds,
                runs_s=[round(t, 3) for t in times],
                mchars_per_s=round(chars / seconds / 1e6, 2),
                hits=hits,
            ),
            row(f"Matcher.match_many, one call per document of {DOC_SENTENCES} sentences", megabytes, per_document),
            row("Matcher.match, one call per sentence", jieba_mb, per_sentence),
            row("automaton pass alone (reference ceiling)", megabytes, automaton),
            row(
                f"jieba {jieba.__version__} lcut + keyword count",
                jieba_mb,
                jieba_seconds,
                extrapolated_seconds_for_full_text=round(megabytes / jieba_mbps, 1),
                keyword_tokens=jieba_found,
            ),
        ],
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # KiB on Linux
        "targets": {"mb_per_s": TARGET_MBPS, "ratio_to_jieba": TARGET_RATIO},
        "met": {"mb_per_s": ours_mbps >= TARGET_MBPS, "ratio_to_jieba": ratio >= TARGET_RATIO},
    }


def report(result: dict[str, Any]) -> None:
    """The results as a Markdown table, ready to paste into a pull request."""
    print("| method | MB | seconds | MB/s | ratio |\n|---|---|---|---|---|")
    for row in result["methods"]:
        figures = f"{row['mb']:.1f} | {row['seconds']:.2f} | {row['mb_per_s']:.1f} | {row['ratio']:.1f}×"
        print(f"| {row['method']} | {figures} |")
    ours, baseline = result["methods"][0], result["methods"][-1]
    print(
        f"\n{result['sentences']} sentences, {result['codes']} codes, {result['keywords']} keywords, "
        f"codebook {result['codebook_version']}; MB = 10^6 bytes of UTF-8 ({ours['mchars_per_s']:.1f} M characters/s)."
    )
    print(
        f"scan runs (s): {ours['runs_s']}, median reported; {ours['hits']} hits per run "
        f"({result['hits_per_mb']} per MB)."
    )
    print(
        f"match per sentence and jieba measured on the first {baseline['mb']:.1f} MB; jieba extrapolated "
        f"({baseline['extrapolated_seconds_for_full_text']:.0f} s for the full text); "
        f"{baseline['keyword_tokens']} keyword tokens."
    )
    cpu = result["machine"]["pinned_cpu"]
    print(f"Pinned to CPU {cpu}." if cpu is not None else "Not pinned to one CPU (no sched_setaffinity).")
    print(f"Peak RSS: {result['peak_rss_mib']:.0f} MiB")
    met, targets = result["met"], result["targets"]
    print(
        f"Targets: ≥ {targets['mb_per_s']:g} MB/s met: {str(met['mb_per_s']).lower()}; "
        f"≥ {targets['ratio_to_jieba']:g}× jieba met: {str(met['ratio_to_jieba']).lower()}"
    )


def main() -> int:
    try:
        import jieba  # noqa: F401  (only checked here: the baseline is part of the run)
    except ImportError:
        sys.stderr.write(f"error: the jieba baseline needs {JIEBA_PIN}: pip install '{JIEBA_PIN}'\n")
        return 1
    now = datetime.now(UTC)
    result = {"date": now.isoformat(timespec="seconds"), **benchmark()}
    report(result)
    save("coding", now, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
