"""Reading a CSV file (common/csvimport.py): whatever bytes come in, the reader
gives rows and a line-numbered report, or rejects the file with one; it never
raises anything else."""

from __future__ import annotations

import codecs
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.csvimport import CsvFile, FileRejected, open_csv
from tests.common.importing import PROPERTY, check_report, csv_bytes

REQUIRED = ["ref", "name"]
OPTIONAL = ["note"]


def read(data: bytes) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The rows and the report, or FileRejected."""
    csv_file: CsvFile = open_csv(io.BytesIO(data), required=REQUIRED, optional=OPTIONAL)
    rows = list(csv_file.records())
    return rows, csv_file.errors.lines


def refusal(data: bytes) -> list[str]:
    with pytest.raises(FileRejected) as rejected:
        read(data)
    check_report(rejected.value.errors, data)
    return rejected.value.errors


def test_a_bom_crlf_and_quoted_line_breaks_are_read() -> None:
    data = codecs.BOM_UTF8 + b'ref,name\r\nP1,"Two\r\nlines"\r\nP2,Tab\there\r\n'
    rows, errors = read(data)
    assert errors == []
    assert [(line, cells[:2]) for line, cells in rows] == [
        (2, ["P1", "Two\r\nlines"]),
        (4, ["P2", "Tab\there"]),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "line 1: the file is empty; it needs a header row"),
        (b"\r\n \n", "line 1: the file is empty; it needs a header row"),
        (b"ref\n", "line 1, name: required column is missing"),
        (b"ref,name,ref\n", "line 1, ref: the column appears more than once"),
        (b"PK\x03\x04\x14\x00\x06\x00", "line 1: this is not a CSV file (it holds binary data)"),
        ("ref,name\n".encode("utf-16"), "line 1: this is UTF-16 text, not UTF-8"),
        (b"ref,n\xe9me\n", "line 1: this is not a UTF-8 CSV file"),
        (b"ref,name,x\x1by\n", "line 1: the header row holds a control character (U+001B)"),
        (b"ref,name," + b"x" * 5000 + b"\xff\n", "line 1: the header row is not UTF-8 text"),
    ],
)
def test_files_that_cannot_be_read_are_rejected_at_line_one(data: bytes, message: str) -> None:
    assert any(line.startswith(message) for line in refusal(data))


def test_a_broken_quote_or_a_huge_field_is_rejected_with_its_line() -> None:
    # An unclosed quote runs to the end of the file: the row is read, and its
    # cells are whatever the import makes of them.
    rows, _ = read(b'ref,name\nP1,"unclosed\nP2,Beta\n')
    assert rows == [(2, ["P1", "unclosed\nP2,Beta\n", ""])]
    huge = b"ref,name\nP1,Alpha\nP2," + b"x" * 1_000_001 + b"\n"
    assert refusal(huge) == ["line 3: is not valid CSV (field larger than field limit (1000000))"]


def test_ragged_rows_are_padded_and_extra_cells_ignored() -> None:
    rows, errors = read(b"ref,name\nP1\nP2,Beta,extra,\x00\n\n,\n")
    assert errors == []  # the NUL is in no column the import reads
    assert [(line, cells[:2]) for line, cells in rows] == [
        (2, ["P1", ""]),
        (3, ["P2", "Beta"]),
        (5, ["", ""]),
    ]


def test_control_characters_and_bytes_that_are_not_utf8_are_named_and_taken_out() -> None:
    body = b"".join(b"P%d,Name %d\n" % (n, n) for n in range(5000))
    data = b"ref,name,note\n" + body + b"P\x00X,Caf\xe9,\xc2\x85ok\n"
    rows, errors = read(data)
    assert errors == [
        "line 5002, ref: holds a NUL byte (U+0000)",
        "line 5002, name: is not UTF-8 text (save the file as 'CSV UTF-8')",
        "line 5002, note: holds a control character (U+0085)",
    ]
    assert rows[-1] == (5002, ["PX", "Caf", "ok", ""])


# Pads that put a two-byte character across the end of the reader's 8 KiB or
# 64 KiB blocks (the prefix b"ref,name\nP1," is 12 bytes).
SPLITS = [size - 13 + shift for size in (8192, 65536) for shift in (-1, 0, 1)]


def test_a_c1_control_split_across_blocks_is_still_found() -> None:
    for pad in SPLITS:
        data = b"ref,name\n" + b"P1," + b"x" * pad + b"\xc2\x9f\n"
        _, errors = read(data)
        assert errors == ["line 2, name: holds a control character (U+009F)"], pad


def test_a_multibyte_letter_split_across_blocks_is_not_a_fault() -> None:
    for pad in SPLITS:
        data = b"ref,name\n" + b"P1," + b"x" * pad + "é".encode() + b"\n"
        rows, errors = read(data)
        assert errors == [] and rows[0][1][1].endswith("é"), pad


def test_a_file_cut_off_inside_a_letter_is_named() -> None:
    _, errors = read(b"ref,name\nP1,Caf" + "é".encode()[:1])
    assert errors == ["line 2, name: is not UTF-8 text (save the file as 'CSV UTF-8')"]


def outcome(data: bytes) -> None:
    try:
        _, errors = read(data)
    except FileRejected as rejected:
        check_report(rejected.errors, data)
    else:
        if errors:
            check_report(errors, data)


@PROPERTY
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_rows_or_a_line_numbered_report(data: bytes) -> None:
    outcome(data)


@PROPERTY
@given(data=st.binary(max_size=300).map(lambda tail: b"ref,name,note\n" + tail))
def test_any_bytes_after_a_good_header_give_rows_or_a_line_numbered_report(data: bytes) -> None:
    outcome(data)


CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["\x00", '"', "\r", "\n", "\ufeff", "\udcff", ",", "x" * 200]
)


@PROPERTY
@given(
    header=st.permutations(["ref", "name", "note", "other"]),
    rows=st.lists(st.lists(CELL, max_size=6), max_size=8),
    cut=st.integers(0, 10_000),
    bom=st.booleans(),
)
def test_any_rows_give_rows_or_a_line_numbered_report(header, rows, cut, bom) -> None:
    data = (codecs.BOM_UTF8 if bom else b"") + csv_bytes(header, rows)
    outcome(data)
    outcome(data[:cut])  # cut off anywhere, even inside a quote or a letter
