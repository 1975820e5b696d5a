"""Every table that downloads as CSV also downloads as .xlsx (issue 17): the
workbook opens, its cells are typed, each reads as the CSV's cell does, and
formula text stays text."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from homecare.kpis.services import compute_month_kpis
from tests.conftest import login
from tests.dashboards.market_data import OCTOBER, build_market
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory, provider_user
from tests.kpi_factories import london, visit
from tests.spreadsheet import open_in_calc
from visits.models import ImportKind, ImportOutcome, ImportRecord

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_printed(cell: Cell) -> str:
    """A cell as a spreadsheet prints it with its number format: the text a
    commissioner sees, to compare with the CSV's."""
    value: Any = cell.value
    if value is None:
        return ""
    if cell.data_type == "n":
        fmt = cell.number_format
        places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        if fmt.endswith("%"):
            return f"{value * 100:.{places}f}%"
        assert fmt.startswith("#,##0"), fmt
        return f"{value:,.{places}f}"
    # Excel's quote prefix is the workbook's form of the CSV's apostrophe.
    return ("'" if cell.quotePrefix else "") + str(value)


def downloads(client: Client, query: dict[str, str]) -> tuple[list[list[str]], Any]:
    as_csv = client.get("/market/", {**query, "_export": "csv"})
    as_xlsx = client.get("/market/", {**query, "_export": "xlsx"})
    assert as_xlsx.status_code == 200
    assert as_xlsx["Content-Type"] == XLSX
    assert as_xlsx["Content-Disposition"] == f'attachment; filename="provider-kpis-{OCTOBER}.xlsx"'
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    return rows, load_workbook(io.BytesIO(as_xlsx.content)).active


def test_the_workbook_has_the_csvs_rows_with_typed_cells(commissioner_client: Client) -> None:
    build_market()
    rows, sheet = downloads(commissioner_client, {"month": OCTOBER, "sort": "-people_supported"})
    cells = list(sheet.iter_rows())
    assert [[as_printed(c) for c in row] for row in cells] == rows
    header = [c.value for c in cells[0]]
    assert sheet.freeze_panes == "A2" and all(c.font.b for c in cells[0])

    beta = dict(zip(header, cells[1], strict=True))
    assert beta["Provider"].value == "Beta Home Care"
    # Figures are numbers in the format the page shows them in.
    assert beta["People supported"].value == 2
    assert beta["People supported"].number_format == "#,##0"
    missed = beta["Missed visits"]
    assert isinstance(missed.value, float) and missed.number_format == "0.0%"
    assert beta["Missed visits RAG status"].value == "Red"
    # A reference stays text, even one that looks like a number would.
    assert beta["Council ref"].data_type == "s"
    numbers = [c for row in cells[1:] for c in row if c.data_type == "n"]
    assert len(numbers) >= 2 * 8  # people supported and seven figures, each provider


def test_a_provider_named_as_a_formula_stays_text(client: Client, commissioner) -> None:
    provider = ProviderFactory(ref="PX", name=HYPERLINK)
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 8, 0))
    compute_month_kpis(OCTOBER)
    login(client, commissioner)
    rows, sheet = downloads(client, {"month": OCTOBER})
    name = sheet["A2"]
    assert rows[1][0] == "'" + HYPERLINK
    assert name.value == HYPERLINK and name.data_type == "s" and name.quotePrefix
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_the_workbook_opens_in_a_spreadsheet_as_text_and_numbers(
    client: Client, commissioner, tmp_path: Path
) -> None:
    provider = ProviderFactory(ref="PX", name=HYPERLINK)
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 8, 0))
    compute_month_kpis(OCTOBER)
    login(client, commissioner)
    exported = tmp_path / "market.xlsx"
    exported.write_bytes(client.get("/market/", {"month": OCTOBER, "_export": "xlsx"}).content)
    cells = open_in_calc(exported, infilter=None)
    assert not [cell for cell in cells if cell.formula]
    (name,) = [cell for cell in cells if "HYPERLINK" in cell.text]
    assert name.kind == "string" and name.text == HYPERLINK
    kinds = {cell.kind for cell in cells}
    assert "float" in kinds and "percentage" in kinds


def test_the_market_page_links_both_downloads(commissioner_client: Client) -> None:
    build_market()
    html = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    assert "_export=csv" in html and "_export=xlsx" in html
    assert "Download these providers as Excel (.xlsx)" in html


def test_a_provider_user_gets_no_workbook(client: Client) -> None:
    data = build_market()
    login(client, provider_user(data["alpha"], username="alpha-user"))
    response = client.get("/market/", {"month": OCTOBER, "_export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")
    assert b"Beta" not in response.content


def test_an_import_report_downloads_as_a_workbook(client: Client, commissioner) -> None:
    record = ImportRecord.objects.create(
        kind=ImportKind.PROVIDERS,
        file_name="providers.csv",
        outcome=ImportOutcome.REJECTED,
        error_report="line 2, name: is blank\nline 3, name: '=1+1' is not allowed\nNo ref column",
        error_count=3,
    )
    login(client, commissioner)
    page = client.get(reverse("import-record", args=[record.pk])).content.decode()
    assert reverse("import-errors-xlsx", args=[record.pk]) in page
    as_csv = client.get(reverse("import-errors", args=[record.pk])).content.decode()
    response = client.get(reverse("import-errors-xlsx", args=[record.pk]))
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(csv.reader(io.StringIO(as_csv)))
    assert [[as_printed(c) for c in row] for row in sheet.iter_rows()] == rows
    assert sheet["A2"].value == 2 and sheet["A2"].data_type == "n"
    assert sheet["C3"].value == "'=1+1' is not allowed"
    assert sheet["A4"].value is None and sheet["C4"].value == "No ref column"
