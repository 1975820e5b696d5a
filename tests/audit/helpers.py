"""Reading a history section as a person reads it: its lines as text."""

from __future__ import annotations

import html as htmllib
import re


def history_lines(html: str) -> list[str]:
    """Each entry of the page's history section, tags stripped, spaces
    collapsed, the screen-reader words ("changed to") left out."""
    match = re.search(r'<section class="app-history.*?</section>', html, re.S)
    assert match, "no history section on the page"
    section = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", match.group(0))
    items = re.findall(
        r'<li class="app-history__item[^"]*">(.*?)</li>\s*(?=<li class="app-history__item|</ol>)',
        section,
        re.S,
    )
    return [
        " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", item)).split()).replace(" :", ":")
        for item in items
    ]
