"""Loading an assessment framework from CSV: domain, standard, code, question,
guidance. All or nothing: every problem is reported by line number, and a file
with any problem creates nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction

from common.cells import CellError, column, parse_text, shown
from common.csvimport import ErrorReport, FileRejected, open_csv
from reviews.models import AssessmentFramework, Domain, Question, Standard

COLUMNS = ["domain", "standard", "code", "question", "guidance"]
REQUIRED = ["domain", "standard", "code", "question"]
CODE = re.compile(r"^[A-Za-z]{1,4}\d{1,3}$")
Row = tuple[str, str, str, str, str]
# Each column's rule, with its limit read from the field it is stored in.
PARSERS = {
    "domain": column(parse_text, Domain, "name", required=True),
    "standard": column(parse_text, Standard, "name", required=True),
    "code": column(parse_text, Question, "code", required=True),
    "question": column(parse_text, Question, "text", required=True, multiline=True),
    "guidance": column(parse_text, Question, "guidance", multiline=True),
}
FRAMEWORK_NAME = column(parse_text, AssessmentFramework, "name", required=True)


def check_rows(
    lines: Iterable[tuple[int, dict[str, str]]], errors: ErrorReport | None = None
) -> list[Row]:
    """The checked rows, or FileRejected with every problem by line."""
    errors = ErrorReport() if errors is None else errors
    rows: list[Row] = []
    seen_codes: dict[str, int] = {}
    for line, raw in lines:
        values: dict[str, str] = {}
        for name in COLUMNS:
            try:
                values[name] = PARSERS[name](raw.get(name) or "")
            except CellError as exc:
                errors.add(line, name, str(exc))
                values[name] = ""
        code = values["code"].upper()
        if code and not CODE.match(code):
            errors.add(line, "code", f"{shown(values['code'])} is not a code like S1, QB02 or F07")
        elif code in seen_codes:
            errors.add(line, "code", f"'{code}' is already used on line {seen_codes[code]}")
        elif code:
            seen_codes[code] = line
        rows.append(
            (values["domain"], values["standard"], code, values["question"], values["guidance"])
        )
    if not rows and not errors:
        errors.add(2, "domain", "the file has no questions")
    errors.raise_if_any()
    return rows


@transaction.atomic
def create_framework(name: str, rows: list[Row], user: Any = None) -> AssessmentFramework:
    """A new version of the named framework; earlier versions stay as they were."""
    latest = (
        AssessmentFramework.objects.select_for_update()
        .filter(name=name)
        .order_by("-version")
        .first()
    )
    framework = AssessmentFramework.objects.create(
        name=name, version=(latest.version + 1) if latest else 1, created_by=user
    )
    domains: dict[str, Domain] = {}
    standards: dict[tuple[str, str], Standard] = {}
    questions = []
    for position, (domain_name, standard_name, code, text, guidance) in enumerate(rows, 1):
        if domain_name not in domains:
            domains[domain_name] = Domain.objects.create(
                framework=framework, name=domain_name, position=len(domains) + 1
            )
        key = (domain_name, standard_name)
        if key not in standards:
            standards[key] = Standard.objects.create(
                domain=domains[domain_name], name=standard_name, position=len(standards) + 1
            )
        questions.append(
            Question(
                framework=framework,
                standard=standards[key],
                code=code,
                text=text,
                guidance=guidance,
                position=position,
            )
        )
    Question.objects.bulk_create(questions)
    return framework


def import_framework(binary: IO[bytes], name: str, user: Any = None) -> AssessmentFramework:
    if not name.strip():
        raise FileRejected(["the framework needs a name"])
    try:
        name = FRAMEWORK_NAME(name)
    except CellError as exc:
        raise FileRejected([f"the framework name {exc}"]) from None
    csv_file = open_csv(binary, required=REQUIRED, optional=["guidance"])
    rows = check_rows(csv_file.rows(), csv_file.errors)
    return create_framework(name, rows, user)
