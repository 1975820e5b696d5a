"""The market table's CSV cannot carry a spreadsheet formula (issue 10)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client

from homecare.kpis.services import compute_month_kpis
from tests.conftest import login
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory
from tests.kpi_factories import london, visit
from tests.spreadsheet import open_in_calc

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'


def test_a_provider_named_as_a_formula_exports_as_text(client: Client, commissioner) -> None:
    provider = ProviderFactory(ref="PX", name=HYPERLINK)
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 8, 0))
    compute_month_kpis("2026-10")

    login(client, commissioner)
    page = client.get("/market/", {"month": "2026-10"}).content.decode()
    response = client.get("/market/", {"month": "2026-10", "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    (row,) = [r for r in rows[1:] if HYPERLINK in r[0]]
    # The cell opens as text: an apostrophe before it, the name otherwise whole.
    assert row[0] == "'" + HYPERLINK
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for r in rows for cell in r)
    # The page itself shows the name as it is, escaped, never as a link.
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page


def test_the_export_opens_in_a_spreadsheet_as_text_and_numbers(
    client: Client, commissioner, tmp_path: Path
) -> None:
    provider = ProviderFactory(ref="PX", name=HYPERLINK)
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 8, 0))
    compute_month_kpis("2026-10")
    login(client, commissioner)
    export = client.get("/market/", {"month": "2026-10", "_export": "csv"}).content
    (tmp_path / "export").mkdir()
    exported = tmp_path / "export" / "market.csv"
    exported.write_bytes(export)
    # The same file without the apostrophe: what the export would be unguarded.
    (tmp_path / "plain").mkdir()
    plain = tmp_path / "plain" / "market.csv"
    plain.write_text(export.decode().replace("'=HYPERLINK", "=HYPERLINK"))

    unguarded = [cell for cell in open_in_calc(plain) if "HYPERLINK" in cell.formula]
    assert len(unguarded) == 1  # Calc would have made the name a live link

    cells = open_in_calc(exported)
    assert not [cell for cell in cells if cell.formula]
    (name,) = [cell for cell in cells if "HYPERLINK" in cell.text]
    assert name.kind == "string" and name.text == "'" + HYPERLINK
    # The figures are still numbers a spreadsheet can add up.
    assert any(cell.kind in ("float", "percentage") for cell in cells)
