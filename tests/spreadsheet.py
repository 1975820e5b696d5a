"""Open a CSV file in LibreOffice Calc, as a commissioner would open an export,
and read back what each cell became: text, a number, or a formula."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# Comma separated, double-quoted, UTF-8 (76), from line 1: Calc's usual import,
# which runs a cell that begins with "=" as a formula.
CSV_IMPORT = "CSV:44,34,76,1"
CELL = re.compile(r"<table:table-cell\b([^>]*?)(?:/>|>(.*?)</table:table-cell>)", re.S)


@dataclass
class Cell:
    kind: str  # Calc's value type: string, float, percentage...
    formula: str  # empty unless Calc made the cell a formula
    text: str  # what the cell shows


def open_in_calc(csv_path: Path, infilter: str | None = CSV_IMPORT) -> list[Cell]:
    """Every non-empty cell of the sheet, row by row. `infilter=None` lets Calc
    pick the filter by the file's type (an .xlsx workbook)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: run `make spreadsheet`.")
    profile = csv_path.parent / "libreoffice-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            "fods",
            "--outdir",
            str(csv_path.parent),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = csv_path.with_suffix(".fods").read_text(encoding="utf-8")
    body = sheet[sheet.index("<table:table ") :]
    cells = []
    for attributes, content in CELL.findall(body):
        found = dict(re.findall(r'(table:formula|office:value-type)="([^"]*)"', attributes))
        text = html.unescape(re.sub(r"<[^>]+>", "", content or "")).strip()
        if found or text:
            cells.append(
                Cell(
                    kind=found.get("office:value-type", ""),
                    formula=html.unescape(found.get("table:formula", "")),
                    text=text,
                )
            )
    return cells
