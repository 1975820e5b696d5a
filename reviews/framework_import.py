"""Loading an assessment framework from CSV: domain, standard, code, question,
guidance. All or nothing: every problem is reported by line number, and a file
with any problem creates nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction

from common.csvimport import ErrorReport, FileRejected, open_csv
from reviews.models import AssessmentFramework, Domain, Question, Standard

COLUMNS = ["domain", "standard", "code", "question", "guidance"]
REQUIRED = ["domain", "standard", "code", "question"]
CODE = re.compile(r"^[A-Za-z]{1,4}\d{1,3}$")
Row = tuple[str, str, str, str, str]


def check_rows(lines: Iterable[tuple[int, dict[str, str]]]) -> list[Row]:
    """The checked rows, or FileRejected with every problem by line."""
    errors = ErrorReport()
    rows: list[Row] = []
    seen_codes: dict[str, int] = {}
    for line, raw in lines:
        values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
        for name in REQUIRED:
            if not values[name]:
                errors.add(line, name, "is blank")
        code = values["code"].upper()
        if code and not CODE.match(code):
            errors.add(line, "code", f"'{values['code']}' is not a code like S1, QB02 or F07")
        elif code in seen_codes:
            errors.add(line, "code", f"'{code}' is already used on line {seen_codes[code]}")
        elif code:
            seen_codes[code] = line
        for name, limit in (("domain", 200), ("standard", 300)):
            if len(values[name]) > limit:
                errors.add(line, name, f"is longer than {limit} characters")
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
    name = name.strip()
    if not name:
        raise FileRejected(["the framework needs a name"])
    csv_file = open_csv(binary, required=REQUIRED, optional=["guidance"])
    rows = check_rows(csv_file.rows())
    return create_framework(name, rows, user)
