"""The coder: which candidate hits are codes of a plan, judged by where they stand in it (codebook 2.0).

coding.matcher finds candidate hits fast: every keyword of every code, less the code's exclusions. Plans use the
same words for commitments and for other things, so a candidate counts only where its place in the document says
it is an instance of the code (the syntax is in docs/codebook.md):

- masks: never inside a cited title 《…》, an office's name, or the signature, date and header blocks (spans that
  provincial_plans.coding.ingest records on each sentence);
- proximity (`near`): a code is also found where a term of each of its sets stands in one clause, at most `gap`
  characters apart ({简化, 优化, 再造} near {流程, 环节}), less the code's exclusions;
- scope: a code with `scope` counts only under a heading that holds one of its heading words or in a sentence that
  matches one of its cue patterns, and never under a heading that holds one of its `outside` words; in a document
  without any recognised heading, cues decide alone (and a scope without cues lets every sentence count);
- background: no code counts under the codebook's background headings (现状, 存在问题 …);
- year: a code with `year` counts only in a sentence governed by that year: a year the sentence names, else the
  nearest earlier clause of its paragraph that names one, else the lead-in of its list, else its nearest heading
  that names one. So "到2017年底，…；…；…。" lends 2017 to every clause, and a later "到2020年，…" takes over.

Every evidence row keeps `sentence[start:end] == keyword`; a proximity hit's keyword is the text from its first term
to its last. With `explain`, candidates that did not count are kept too, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from itertools import permutations
from pathlib import Path
from typing import Any

from provincial_plans.coding.matcher import Matcher
from provincial_plans.core.errors import InputError
from provincial_plans.core.timelimit import within
from provincial_plans.model.codebook import Code, Codebook, Near, Scope

MAX_CODING_SECONDS = 60.0  # one document's coding time limit unless the config's `max_coding_seconds` says otherwise

CLAUSE_BREAK = "，,；;。：:！？!?《》\n"  # a proximity match never runs across these
# A year as plans write it: 2017年, 2017年底, （2020年）, 201712月 (年 lost in conversion), 2017—2020年; not
# 〔2017〕 (a document number) nor a longer number.
YEAR = re.compile(r"(?<![0-9〔\[［])(20[0-9]{2})(?![0-9]{3})(?=\s*(?:年|[0-9]{1,2}月|[—－\-~～至到]\s*20[0-9]{2}))")
YEAR_RANGE = re.compile(r"(?<![0-9])(20[0-9]{2})\s*[—－\-~～至到]\s*(20[0-9]{2})(?=\s*年)")
# a plan's own title ends in one of these (a notice, 关于做好2017年…工作的通知, is no annual plan)
PLAN_TITLE_END = re.compile(r"(?:方案|计划|要点|规划|安排|进度表|分解表)\s*$")
# headings of what a plan stands for, not what it will do in its year: an annual plan's year does not date them
STANCE = ("原则", "指导思想")
FULL_DATE = re.compile(r"20[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日")
RUN_ON = ("，", "、", ",")  # a line ending on one of these was broken inside a sentence
YearWords = dict[int, tuple[str, ...]]


@dataclass(frozen=True)
class Candidate:
    """A code's keyword (or proximity match) found in a sentence; start/end index that sentence."""

    sentence: int  # index into the document's sentences
    code: str
    keyword: str
    start: int
    end: int
    excluded: str = ""  # the exclusion that cancels it (only `explain` keeps such candidates)
    via: str = ""  # the sub-code whose keyword or proximity rule credited this candidate of its parent


def near_pattern(rule: Near) -> re.Pattern[str]:
    """One regex for a proximity rule: a term of each set, in any order, inside one clause, `gap` characters apart
    at most between neighbours. Sets are few (two or three), so every order is spelt out."""
    sets = ["(?:" + "|".join(map(re.escape, sorted(terms, key=len, reverse=True))) + ")" for terms in rule.sets]
    filler = f"[^{re.escape(CLAUSE_BREAK)}]{{0,{rule.gap}}}?"
    orders = [filler.join(order) for order in permutations(sets)]
    return re.compile("|".join(orders))


class Coder:
    """The codebook compiled for coding documents: candidates from coding.matcher.Matcher and the proximity rules,
    judged by masks, scope, background and governing year. Build once, call code() per batch of documents."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.matcher = Matcher(codebook)
        self.codes: dict[str, Code] = {code.id: code for code in codebook.text_codes()}
        self._parent = {code_id: code.parent for code_id, code in self.codes.items() if code.parent in self.codes}
        self._near = [
            (code.id, tuple(frozenset(terms) for terms in rule.sets), near_pattern(rule))
            for code in self.codes.values()
            for rule in code.near
        ]
        self._exclusions = {code.id: [re.compile(p) for p in code.exclusions] for code in self.codes.values()}
        self._ignore = {code.id: [re.compile(p) for p in code.ignore] for code in self.codes.values() if code.ignore}
        self._background = codebook.background
        self._raw: Matcher | None = None

    # -------------------------------------------------------------------------------------------- candidates

    def candidates(self, sentences: Sequence[Any], explain: bool = False) -> list[Candidate]:
        """Every candidate in one document's sentences: keyword hits (with sub-codes credited to their parents)
        and proximity matches (credited the same way), each less its code's exclusions — or, with `explain`,
        kept with the exclusion that cancels it."""
        texts = [sentence.text for sentence in sentences]
        found = self._keyword_candidates(self.matcher, texts)
        if explain:
            kept = set(found)
            raw = self._keyword_candidates(self._unexcluded(), texts)
            found = [
                c if c in kept else replace(c, excluded=self._exclusion(texts[c.sentence], c.code, c.via)) for c in raw
            ]
        for index, text in enumerate(texts):
            for code_id, sets, pattern in self._near:
                if not all(any(term in text for term in terms) for terms in sets):
                    continue
                matches = list(pattern.finditer(text))
                if not matches:
                    continue
                # a parent credited through a sub-code answers to the sub-code's exclusions and then its own
                credits = [
                    (credited, self._exclusion(text, *dict.fromkeys((code_id, credited))))
                    for credited in (code_id, self._parent.get(code_id))
                    if credited is not None
                ]
                for match in matches:
                    for credited, excluded in credits:
                        if explain or not excluded:
                            span = match.group(), match.start(), match.end()
                            via = code_id if credited != code_id else ""
                            found.append(Candidate(index, credited, *span, excluded, via))
        return found

    def _keyword_candidates(self, matcher: Matcher, texts: list[str]) -> list[Candidate]:
        hits = matcher.scan(texts)
        candidates = []
        for index, start, end, code, keyword in zip(*(column.tolist() for column in hits), strict=True):
            credited, word = matcher.codes[code], matcher.keywords[keyword]
            # a parent credited through a sub-code is judged by that sub-code's rules too, not its siblings'
            via = matcher.via.get((credited, word), "")
            candidates.append(Candidate(index, credited, word, start, end, via=via))
        return candidates

    def _unexcluded(self) -> Matcher:
        """The codebook's keywords without exclusions: what `explain` compares the matcher's hits with."""
        if self._raw is None:
            codes = [replace(code, exclusions=()) for code in self.codebook.codes]
            self._raw = Matcher(replace(self.codebook, codes=codes))
        return self._raw

    def _exclusion(self, text: str, *codes: str) -> str:
        """The first exclusion of these codes found in the sentence, else ""."""
        for owner in codes:
            for exclusion in self._exclusions.get(owner, ()):
                if exclusion.search(text):
                    return exclusion.pattern
        return ""

    # ---------------------------------------------------------------------------------------------- judging

    def judge(self, sentences: Sequence[Any], candidate: Candidate, context: DocumentContext) -> str | None:
        """Why a candidate does not count (a short reason), or None when it is a code of the document."""
        if candidate.excluded:
            return f"excluded: {candidate.excluded}"
        sentence = sentences[candidate.sentence]
        for start, end, reason in getattr(sentence, "masks", ()):
            if start < candidate.end and candidate.start < end:
                return f"masked: {reason}"
        headings = getattr(sentence, "headings", ())
        if any(word in heading for heading in headings for word in self._background.headings):
            return "background section"
        if any(cue.search(sentence.text) for cue in self._background.cue_patterns):
            return "background sentence"
        for pattern in [*self._ignore.get(candidate.code, ()), *self._ignore.get(candidate.via, ())]:
            if any(m.start() < candidate.end and candidate.start < m.end() for m in pattern.finditer(sentence.text)):
                return f"stock phrase: {pattern.pattern}"
        code = self.codes[candidate.code]
        if code.scope is not None and not _in_scope(code.scope, sentence, context.framing(candidate.sentence), context):
            return "out of scope"
        if code.year is not None and code.year not in context.governing_years(candidate.sentence):
            return f"not governed by {code.year}"
        return None

    def code(
        self,
        documents: Iterable[tuple[str, str, Sequence[Any]]],
        explain: bool = False,
        seconds: float = MAX_CODING_SECONDS,
        files: Mapping[str, str | Path] | None = None,
    ) -> list[dict[str, Any]]:
        """Evidence rows of many documents, given as (unit, doc_id, sentences), in document and sentence order.

        Each row: unit, doc_id, sentence_id, section, heading, start, end, code, keyword, sentence; with
        `explain`, also the candidates that did not count, with `counted` False and the `reason`. Each document is
        coded within `seconds`: one whose coding takes longer stops the run with an InputError naming it (its file
        in `files`, by doc id; else the doc id), rather than hanging the build.
        """
        rows: list[dict[str, Any]] = []
        for unit, doc_id, sentences in documents:
            found = within(seconds, partial(self._document, unit, doc_id, list(sentences), explain))
            if found is None:
                raise InputError(
                    (files or {}).get(doc_id, doc_id),
                    f"coding this document took longer than {seconds:g} s, the limit for one document "
                    "(config max_coding_seconds)",
                )
            rows += found
        return rows

    def _document(self, unit: str, doc_id: str, sentences: list[Any], explain: bool) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        context = DocumentContext(sentences, self.codebook.year_words, self.codebook.relative_years)
        seen: set[tuple[int, str, int, int]] = set()
        candidates = sorted(self.candidates(sentences, explain), key=lambda c: (c.sentence, c.start, -c.end, c.code))
        counted: dict[tuple[int, str], list[Candidate]] = {}
        for candidate in candidates:
            key = (candidate.sentence, candidate.code, candidate.start, candidate.end)
            if key in seen:
                continue
            seen.add(key)
            reason = self.judge(sentences, candidate, context)
            inside = counted.setdefault((candidate.sentence, candidate.code), [])
            if reason is None and any(o.start <= candidate.start and candidate.end <= o.end for o in inside):
                continue  # a keyword inside a proximity match of the same code already cited: one row, the wider
            if reason is None:
                inside.append(candidate)
            if reason is not None and not explain:
                continue
            sentence = sentences[candidate.sentence]
            row = {
                "unit": unit,
                "doc_id": doc_id,
                "sentence_id": sentence.id,
                "section": getattr(sentence, "section", ""),
                "heading": _nearest_heading(sentence),
                "start": candidate.start,
                "end": candidate.end,
                "code": candidate.code,
                "keyword": candidate.keyword,
                "sentence": sentence.text,
            }
            if explain:
                row |= {"counted": reason is None, "reason": reason or ""}
            rows.append(row)
        return rows


def _nearest_heading(sentence: Any) -> str:
    headings = getattr(sentence, "headings", ())
    return headings[-1] if headings else ""


def _in_scope(scope: Scope, sentence: Any, headings: Sequence[str], context: DocumentContext) -> bool:
    if any(word in heading for heading in headings for word in scope.outside):
        return False
    if scope.headings and any(word in heading for heading in headings for word in scope.headings):
        return True
    text = _unmasked(sentence)
    if any(cue.search(text) for cue in scope.cue_patterns):
        return True
    return not context.structured and not scope.cue_patterns


def _unmasked(sentence: Any) -> str:
    """The sentence with masked spans blanked out (same length, so offsets still hold)."""
    text = sentence.text
    for start, end, _ in getattr(sentence, "masks", ()):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _is_title(sentence: Any) -> bool:
    """Whether the sentence is (part of) the document's title: masked whole as one."""
    return any(
        reason == "title" and start == 0 and end == len(sentence.text)
        for start, end, reason in getattr(sentence, "masks", ())
    )


class DocumentContext:
    """What a document's structure says beyond one sentence: whether it has headings, and which years govern each
    sentence (computed once per sentence, on demand)."""

    def __init__(self, sentences: Sequence[Any], year_words: YearWords, relative: frozenset[int] = frozenset()) -> None:
        self.sentences = sentences
        self.relative = relative  # years whose words say "this year" (今年底, 年内)
        self.structured = any(getattr(sentence, "heading", False) for sentence in sentences)
        self._by_id = {sentence.id: index for index, sentence in enumerate(sentences)}
        # a year word counts where no year runs into it: 年底前 alone is the plan's year, 2018年底前 and
        # 2023年年底前 are not
        self._word_patterns = {
            year: re.compile("(?<![0-9])(?<![0-9]年)(?:" + "|".join(map(re.escape, words)) + ")")
            for year, words in year_words.items()
        }
        self._own: dict[int, frozenset[int]] = {}
        self._governing: dict[int, frozenset[int]] = {}
        self._title_years = self._annual_year()

    def _annual_year(self) -> frozenset[int]:
        """The year of an annual plan (2017年…工作任务进度表, 深圳市2017年…工作要点), which dates every task the text
        leaves undated: the one year that every plan title of the document (a title line ending in 方案, 要点,
        进度表…) names, beside dates (2017年3月31日). A plan title without it (the plan a notice transmits, a second
        plan) or titles naming several years date nothing; so does a notice's title alone."""
        titles = [s.text for s in self.sentences if _is_title(s) and PLAN_TITLE_END.search(s.text)]
        years = [self.years_named(FULL_DATE.sub("", title)) for title in titles]
        if not years or not all(years):
            return frozenset()
        named = frozenset().union(*years)
        return named if len(named) == 1 else frozenset()

    def framing(self, index: int) -> tuple[str, ...]:
        """The headings a sentence stands under and the lead-in of its list ("工作中把握以下原则：" frames the
        items after it as a heading would)."""
        sentence = self.sentences[index]
        headings = tuple(getattr(sentence, "headings", ()))
        lead = getattr(sentence, "lead", "")
        return (*headings, self.sentences[self._by_id[lead]].text) if lead in self._by_id else headings

    def years_named(self, text: str) -> frozenset[int]:
        """The years a text names: 2017年, 201712月, a range 2017—2020年 (both ends and between), year words."""
        years = {int(year) for year in YEAR.findall(text)}
        for first, last in YEAR_RANGE.findall(text):
            years |= set(range(int(first), int(last) + 1))
        years |= {year for year, pattern in self._word_patterns.items() if pattern.search(text)}
        return frozenset(years)

    @cached_property
    def _written(self) -> frozenset[int]:
        """The years the text writes out, read only when a "this year" word needs them: a text that writes two or
        more, all at least two years after that year (2021年底前, 到2022年), is not of it; a 2017 plan may write only
        2018 or 2020 targets."""
        return frozenset(int(year) for sentence in self.sentences for year in YEAR.findall(_unmasked(sentence)))

    def own(self, index: int) -> frozenset[int]:
        """The years a sentence names; a "this year" word names the one year the text is dated by (_dated), if any,
        and none in an undated text that writes out only later years (今年底前 beside 2021年底前 and 到2022年底)."""
        if index not in self._own:
            years = self.years_named(text := _unmasked(self.sentences[index]))
            said = (years & self.relative) - {int(year) for year in YEAR.findall(text)}
            dated = self._dated(index) if said else frozenset()
            if len(dated) == 1:
                years = (years - said) | dated
            elif said and len(self._written) > 1 and min(self._written) > max(said) + 1:
                years = years - said
            self._own[index] = years
        return self._own[index]

    def _dated(self, index: int) -> frozenset[int]:
        """The years of the nearest heading naming one, else of the plan titles (not under a principles heading)."""
        headings = getattr(self.sentences[index], "headings", ())
        if named := next(filter(None, map(self.years_named, reversed(headings))), None):
            return named
        return frozenset() if any(word in heading for heading in headings for word in STANCE) else self._title_years

    def governing_years(self, index: int) -> frozenset[int]:
        """The sentence's own years, else the nearest earlier clause of its paragraph, else its list's lead-in,
        else its nearest heading that names a year, else the one year the document's title names (not under a
        principles or guiding-ideas heading); empty when nothing does."""
        if index in self._governing:
            return self._governing[index]
        sentence = self.sentences[index]
        years = self.own(index)
        paragraph = getattr(sentence, "paragraph", 0)  # 0: not known (sentences without an outline)
        earlier = index - 1
        while not years and paragraph and earlier >= 0:
            previous = self.sentences[earlier]
            if getattr(previous, "paragraph", None) != paragraph:
                # a line that stops on a comma was broken mid-sentence (web copies): the paragraph runs on
                if not previous.text.endswith(RUN_ON):
                    break
                paragraph = getattr(previous, "paragraph", None)
            years = self.own(earlier)
            earlier -= 1
        lead = getattr(sentence, "lead", "")
        if not years and lead in self._by_id:
            years = self.governing_years(self._by_id[lead])
        self._governing[index] = years or self._dated(index)
        return self._governing[index]
