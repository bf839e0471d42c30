"""Output safety: every page's Content-Security-Policy, nothing active in a page, and a PDF renderer that reads
only the project's own local files.

Data shown escaped (a <script> in a facts note, as HTML text and as PDF text) is the bad-input case
tests/workflow/bad_inputs/facts_note_with_markup_inert; markup in document text, doc_text_with_markup_inert.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..conftest import Active, directives

# What a page's policy may allow: its own origin only. No other host, scheme or inline code.
SAFE_SOURCES = {"'none'", "'self'"}


class Policies(HTMLParser):
    """The Content-Security-Policy <meta> elements of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.policies: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(attributes.get("content") or "")


def test_every_page_has_a_policy_that_allows_nothing_from_outside(built):
    pages = sorted((built / "reports" / "2017").glob("*.html"))
    assert len(pages) == 9  # the index; the national report and three provinces, each in two languages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies = Policies(html).policies
        assert len(policies) == 1, page.name
        policy = directives(policies[0])
        assert policy["default-src"] in (["'none'"], ["'self'"]), page.name
        assert "script-src" not in policy or policy["script-src"] == ["'none'"], page.name  # so: no script at all
        assert policy.get("base-uri") == ["'none'"] and policy.get("form-action") == ["'none'"], page.name
        for name, sources in policy.items():
            assert set(sources) <= SAFE_SOURCES, (page.name, name, sources)
        # nothing in the page needs what the policy forbids: no script, handler or outside URL, no inline style
        assert Active(html).found == [], page.name
        assert "<style" not in html and not re.search(r"\sstyle=", html), page.name
