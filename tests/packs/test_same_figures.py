"""A provider's dashboard and its PDF pack for the same month show the same
figures, written the same way, because both render from one presenter
(ProviderMonth): every tile (figure, RAG status, reason, change since last
month), every figure of the month and every person behind a figure, read from
the page's HTML, is found word for word in the text of the PDF."""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from common.months import Month
from homecare.dashboards.presenters import ProviderMonth
from homecare.kpis.registry import FIGURE_KEYS
from homecare.packs import builder
from tests.conftest import login

OCT = Month.parse("2026-10")
PART = re.compile(
    r'data-figures="(?P<section>\w+)"|data-kpi="(?P<key>\w+)"'
    r'|<(?P<tag>\w+)[^>]*data-part="(?P<part>\w+)"[^>]*>(?P<text>[^<]*)</(?P=tag)>'
)


def page_figures(page: str) -> dict[str, dict[str, dict[str, str]]]:
    """{section: {kpi key: {part: text}}} from the dashboard's marked-up figures."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    section = key = ""
    for match in PART.finditer(page):
        if match["section"]:
            section = match["section"]
            out[section] = {}
        elif match["key"]:
            key = match["key"]
            out[section][key] = {}
        else:
            text = " ".join(html_lib.unescape(match["text"]).split())
            out[section][key][match["part"]] = text
    return out


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def people_rows(page: str) -> list[str]:
    """The rows of the dashboard's list of people late more than 10% of the time."""
    start = page.index('id="people-late"')
    table = page[start : page.index("</table>", start)]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    text = [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row] for row in cells]
    # The person's cell carries ", their visits" for screen readers only.
    rows = [[row[0].replace(", their visits", ""), *row[1:]] for row in text[1:]]
    return [" ".join(" ".join(row).split()) for row in rows]


@pytest.mark.django_db
def test_dashboard_and_pack_show_the_same_figures_written_the_same_way(
    market, client: Client, commissioner
) -> None:
    provider_a, _ = market
    login(client, commissioner)
    page = client.get(f"/providers/{provider_a.ref}/dashboard/", {"month": OCT.key})
    assert page.status_code == 200
    shown = page_figures(page.content.decode())
    text = pdf_text(builder.render_provider_pack(provider_a, OCT).pdf)
    view = ProviderMonth.load(provider_a, OCT)

    # Every RAG tile, from the one presenter, in both.
    assert list(shown["tiles"]) == [tile.key for tile in view.tiles]
    for tile in view.tiles:
        on_page = shown["tiles"][tile.key]
        assert on_page == {
            "label": tile.label,
            "value": tile.value,
            "status": tile.status_label,
            "reason": tile.reason,
            "change": tile.change,
        }
        # The pack's summary row: measure, figure, status, last month, change.
        row = f"{tile.label} {tile.value} {tile.status_label} {tile.previous} {tile.change}"
        assert row in text, row
        assert tile.reason in text, tile.reason

    # Every figure of the month, with its label, in both.
    assert list(shown["all"]) == list(FIGURE_KEYS)
    for key, parts in shown["all"].items():
        assert f"{parts['label']} {parts['value']} {key}" in text, key

    # The people behind a figure, person by person.
    people = people_rows(page.content.decode())
    assert people and len(people) == len(view.people_late)
    for row in people:
        assert row in text, row

    # Written as people write them: no raw fractions or decimal hours on the page.
    assert shown["all"]["planned_hours"]["value"].endswith(("hours", "minutes"))
    # Alpha's October: 3 of each person's 6 delivered visits late.
    assert shown["tiles"]["late_visit_rate"]["value"] == "50.0%"
    assert shown["all"]["late_visit_rate"]["value"] == "50.0%"
    assert people[0].endswith("3 6 50.0% Yes No")
