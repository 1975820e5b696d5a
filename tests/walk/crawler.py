"""Follows every same-origin GET link from the home page, as a user clicking
through would, and asks each kind of page again with bad query values."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

MAX_PAGES = 400
# Pages of one kind (one url name, one set of query names) a walk opens: the
# visit table's sort and page links alone would fill the budget otherwise.
PER_KIND = 3
SKIP = ("/logout/", "/admin/logout/", "/static/", "/media/")

# The values a user could type or a stale link could carry.
BAD_VALUES = {
    "month": ["0001-01", "9999-12", "abc", "2026-13", "2026-00", ""],
    "page": ["abc", "0", "-1", "99999999", "1e3"],
    "sort": ["no-such-column", "-no_such_column", "name,,", "\x00"],
    "per_page": ["0", "-5", "abc", "100000"],
}
# Any other query name a page uses (in its links or GET forms).
OTHER_BAD = ["no-such-value", "0001-01", "99999999999999999999", "-1", "%00"]


class _Links(HTMLParser):
    """The page's links, and its GET forms as the addresses submitting them
    would ask for: each select at its first real choice, other fields as filled."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.form_fields: set[str] = set()
        self._form: dict[str, str] | None = None
        self._action = ""
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        name = found.get("name", "")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        elif tag == "form" and found.get("method", "get").lower() == "get":
            self._form, self._action = {}, found.get("action", "")
        elif self._form is None or not name:
            if tag == "option" and self._form is not None and self._select:
                self._option(found)
            return
        elif tag == "select":
            self.form_fields.add(name)
            self._select = name
        elif tag in ("input", "textarea") and found.get("type") not in ("submit", "button"):
            self.form_fields.add(name)
            if found.get("type") not in ("checkbox", "radio") or "checked" in found:
                self._form.setdefault(name, found.get("value", ""))

    def _option(self, found: dict[str, str]) -> None:
        assert self._form is not None and self._select is not None
        value = found.get("value", "")
        if value and self._form.get(self._select, "") == "":
            self._form[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            query = urlencode({k: v for k, v in self._form.items() if v})
            self.links.append(f"{self._action}?{query}" if query else self._action or "?")
            self._form = None


@dataclass
class Walk:
    opened: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # The first address of each url name, with the query names seen on its pages.
    kinds: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    bad_queries: int = 0


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _check(walk: Walk, url: str, response: HttpResponse, *, followed_link: bool) -> None:
    status = response.status_code
    if status >= 500:
        walk.problems.append(f"{url}: {status} server error")
    elif status >= 400:
        if followed_link:
            walk.problems.append(f"{url}: {status} from a link on a page")
        body = response.content.decode(errors="replace") if _is_html(response) else ""
        if "govuk-template" not in body or "<h1" not in body:
            walk.problems.append(f"{url}: {status} without a GOV.UK page")


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _same_origin(base: str, href: str) -> str | None:
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    target = urlsplit(urljoin(base, href))
    if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
        return None
    if target.path.startswith(SKIP):
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def walk(client: Client, start: str = "/", limit: int = MAX_PAGES) -> Walk:
    result = Walk()
    queue: deque[str] = deque([start])
    per_kind: dict[tuple[str, frozenset[str]], int] = {}
    seen = {start}
    while queue and len(result.opened) < limit:
        url = queue.popleft()
        response = client.get(url)
        result.opened[url] = response.status_code
        _check(result, url, response, followed_link=url != start)
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_origin(url, response["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if not _is_html(response):
            continue
        parser = _Links()
        parser.feed(response.content.decode(errors="replace"))
        path = urlsplit(url).path
        name = _url_name(path)
        if name and response.status_code == 200:
            first, names = result.kinds.setdefault(name, (url, set()))
            if first == url:
                names.update(parser.form_fields)
        for href in parser.links:
            target = _same_origin(url, href)
            if not target or target in seen:
                continue
            parts = urlsplit(target)
            query_names = frozenset(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))
            if name and parts.path == path and result.kinds.get(name, ("",))[0] == url:
                # A sort or page link of this page: its names belong to the page.
                result.kinds[name][1].update(query_names)
            kind = (_url_name(parts.path) or parts.path, query_names)
            if per_kind.get(kind, 0) >= PER_KIND:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            seen.add(target)
            queue.append(target)
    return result


def ask_with_bad_values(client: Client, result: Walk, *, skip_prefix: str = "/admin/") -> None:
    """Each kind of page again, once per bad value of each query name it takes."""
    for url, names in list(result.kinds.values()):
        parts = urlsplit(url)
        if parts.path.startswith(skip_prefix):
            continue
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        tries: dict[str, list[str]] = {name: list(values) for name, values in BAD_VALUES.items()}
        for name in names | set(query):
            tries.setdefault(name, OTHER_BAD)
            if name.endswith(("page", "sort", "per_page", "month")):
                tries[name] = BAD_VALUES[name.rsplit("-", 1)[-1]]
        for name, values in tries.items():
            for value in values:
                address = f"{parts.path}?{urlencode({**query, name: value})}"
                response = client.get(address)
                result.bad_queries += 1
                _check(result, address, response, followed_link=False)
