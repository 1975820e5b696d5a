"""The page kinds of the load scenario: where a link on a page leads, named as
the report groups requests. Kept apart from the locustfile (which imports
locust, and with it gevent's patching) so that benchmarks/load.py can check
every kind was reached."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlparse

HREF = re.compile(r'href="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Where a link leads, by its path and query: the page kinds the report groups by.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("drill-down: late, missed or short visits", re.compile(r"/dashboard/\?.*\bkind=")),
    ("drill-down: a person's visits", re.compile(r"/dashboard/\?.*\bperson=")),
    ("drill-down: a page of visits", re.compile(r"/dashboard/\?.*\bvisits-(page|sort)=")),
    ("provider dashboard", re.compile(r"^/providers/[^/]+/dashboard/(\?month=[\d-]+)?$")),
    ("market overview, sorted or paged", re.compile(r"^/market/\?.*\b(sort|page)=")),
    ("lot page", re.compile(r"^/lots/\d+/")),
    ("provider quality", re.compile(r"^/providers/[^/]+/quality/$")),
    ("assessment", re.compile(r"^/quality/assessments/\d+/$")),
    ("action plan", re.compile(r"^/quality/assessments/\d+/action-plan/$")),
    ("quality framework", re.compile(r"^/quality/frameworks/\d+/$")),
    ("provider record", re.compile(r"^/providers/[^/]+/$")),
    ("pack PDF download", re.compile(r"^/packs/\d+/download/$")),
    ("import record", re.compile(r"^/imports/\d+/$")),
)


def kind_of(path: str) -> str | None:
    for kind, pattern in KINDS:
        if pattern.search(path):
            return kind
    return None


def links(url: str, text: str) -> Iterator[tuple[str, str]]:
    """(kind, path with query) of each link on the page at `url` that leads to
    a page kind of the scenario; fragments dropped, relative links resolved."""
    for href in HREF.findall(text):
        target = urlparse(urldefrag(urljoin(url, html.unescape(href)))[0])
        link = target.path + (f"?{target.query}" if target.query else "")
        kind = kind_of(link)
        if kind:
            yield kind, link
