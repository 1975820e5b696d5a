"""Checking each row of a visits file as it streams past (see visits/imports.py).

This is the hottest loop of a million-row import, so each check is a length
comparison or a dict hit: date-times are range-checked once per hour of the day
(LondonClock caches them), care worker refs once per distinct ref, and control
characters are left to the reader, which only looks cell by cell once a block
of the file is found to hold one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from common.cells import (
    FALSE_WORDS,
    TRUE_WORDS,
    CellError,
    LondonClock,
    column,
    london_date,
    parse_bool,
    parse_ref,
    shown,
)
from common.csvimport import CsvFile
from contracts.models import CarePackage
from visits.models import CareWorker, Visit, VisitCarer, VisitStatus
from visits.retention import retention_months

STATUSES = {value for value, _ in VisitStatus.choices}
VISIT_ID_LENGTH: int = Visit._meta.get_field("visit_id").max_length  # type: ignore[assignment]
VERIFICATION_LENGTH: int = VisitCarer._meta.get_field("verification").max_length  # type: ignore[assignment]
CARER_REF = column(parse_ref, CareWorker, "ref")
CARER_REF_LENGTH: int = CareWorker._meta.get_field("ref").max_length  # type: ignore[assignment]
# Refs already found good are remembered, but a file of a million distinct care
# worker refs must not keep them all.
CARER_CACHE_LIMIT = 50_000


class Counts:
    rows = 0


def packages_by_ref() -> dict[str, tuple[int, int, int]]:
    """Every care package's (id, provider id, person id) by ref: a few MB even
    for a large council, and it turns each row's lookup into a dict hit."""
    return {
        ref: (pk, provider, person)
        for pk, ref, provider, person in CarePackage.objects.values_list(
            "id", "ref", "provider_id", "person_id"
        ).iterator(chunk_size=10_000)
    }


def checked_rows(
    csv_file: CsvFile,
    packages: dict[str, tuple[int, int, int]],
    postgres: bool,
    provider_id: int | None,
    counts: Counts,
    kept_from: str,
) -> Iterator[tuple[Any, ...]]:
    """Check each row as it streams past and yield it in staging form. Once the
    file is known to be bad nothing more is yielded, but checking goes on so the
    report names every bad row."""
    # No query may run in here: on PostgreSQL this runs inside the COPY.
    errors = csv_file.errors
    clock = LondonClock()
    # The instant, and what is staged for it: ISO text for PostgreSQL's COPY,
    # the datetime itself elsewhere.
    parse: Callable[[str], tuple[datetime, datetime | str]]
    if postgres:
        parse = clock.to_utc_with_text
    else:

        def parse(value: str) -> tuple[datetime, datetime | str]:
            utc = clock.to_utc(value)
            return utc, utc

    local_dates: dict[datetime, str] = {}

    def local_date(utc: datetime) -> str:
        # London's offset changes only on the hour, so the date of each UTC hour is cached.
        hour = utc.replace(minute=0, second=0, microsecond=0)
        try:
            return local_dates[hour]
        except KeyError:
            day = local_dates[hour] = london_date(utc).isoformat()
            return day

    good_carers: set[str] = set()

    def carer_problem(ref: str) -> str | None:
        try:
            CARER_REF(ref)
        except CellError as exc:
            return str(exc)
        if len(good_carers) >= CARER_CACHE_LIMIT:
            good_carers.clear()
        good_carers.add(ref)
        return None

    completed = VisitStatus.COMPLETED
    too_old = (
        f"is before {date.fromisoformat(kept_from):%-d %B %Y}: "
        f"visits older than {retention_months()} months are not kept"
    )
    visit_id_length, verification_length = VISIT_ID_LENGTH, VERIFICATION_LENGTH
    at = csv_file.column
    i_visit, i_package, i_status = at("visit_id"), at("package_ref"), at("status")
    i_planned_start, i_planned_end = at("planned_start"), at("planned_end")
    i_start, i_end, i_carer, i_verification = (
        at("actual_start"),
        at("actual_end"),
        at("carer_ref"),
        at("verification"),
    )
    i_cancelled_at = at("cancelled_at")  # optional (issue 13): when it was called off
    i_time_critical = at("time_critical")  # optional (issue 15); blank = no
    true_words, false_words = TRUE_WORDS, FALSE_WORDS
    cancelled = VisitStatus.CANCELLED
    rows = 0
    for line, row in csv_file.records():
        rows += 1
        visit_id = row[i_visit].strip()
        if not visit_id:
            errors.add(line, "visit_id", "is blank")
        elif len(visit_id) > visit_id_length:
            errors.add(
                line,
                "visit_id",
                f"is longer than {visit_id_length} characters (it has {len(visit_id):,})",
            )
        package_ref = row[i_package].strip()
        package = packages.get(package_ref)
        if package is None:
            if package_ref:
                errors.add(
                    line,
                    "package_ref",
                    f"no care package {shown(package_ref)} (import it in a packages file first)",
                )
            else:
                errors.add(line, "package_ref", "is blank")
        elif provider_id is not None and package[1] != provider_id:
            errors.add(line, "package_ref", f"'{package_ref}' is not one of your packages")
        status = row[i_status].strip().lower()
        if status not in STATUSES:
            errors.add(
                line,
                "status",
                f"{shown(row[i_status].strip())} is not a status (completed, missed or cancelled)",
            )
        planned_start = planned_end = actual_start = actual_end = None
        # Each time twice: as a datetime to check, and as the database will take it.
        db_actual_start = db_actual_end = None
        try:
            planned_start, db_planned_start = parse(row[i_planned_start])
        except CellError as exc:
            errors.add(line, "planned_start", str(exc))
        try:
            planned_end, db_planned_end = parse(row[i_planned_end])
        except CellError as exc:
            errors.add(line, "planned_end", str(exc))
        if planned_start and planned_end and planned_end <= planned_start:
            errors.add(line, "planned_end", "is not after planned_start")
        planned_date = local_date(planned_start) if planned_start else ""
        if planned_date and planned_date < kept_from:
            # Older visits are deleted by the retention job; none may come back.
            errors.add(line, "planned_start", too_old)
        raw_start = row[i_start]
        raw_end = row[i_end]
        carer_ref = row[i_carer].strip() or None
        if carer_ref is not None and carer_ref not in good_carers:
            problem = carer_problem(carer_ref)
            if problem is not None:
                errors.add(line, "carer_ref", problem)
        verification = row[i_verification].strip().lower() or None
        if verification is not None and len(verification) > verification_length:
            errors.add(
                line,
                "verification",
                f"is longer than {verification_length} characters (it has {len(verification):,})",
            )
        if status == completed:
            for name, raw in (("actual_start", raw_start), ("actual_end", raw_end)):
                if not raw.strip():
                    errors.add(line, name, "is required for a completed visit")
            if carer_ref is None:
                errors.add(line, "carer_ref", "is required for a completed visit")
        elif status in STATUSES:
            for name, raw in (("actual_start", raw_start), ("actual_end", raw_end)):
                if raw.strip():
                    errors.add(line, name, f"must be blank for a {status} visit")
        if status == completed and raw_start.strip() and raw_end.strip():
            try:
                actual_start, db_actual_start = parse(raw_start)
            except CellError as exc:
                errors.add(line, "actual_start", str(exc))
            try:
                actual_end, db_actual_end = parse(raw_end)
            except CellError as exc:
                errors.add(line, "actual_end", str(exc))
            if actual_start and actual_end:
                if actual_end < actual_start:
                    errors.add(line, "actual_end", "is before actual_start")
                elif actual_end == actual_start:
                    errors.add(line, "actual_end", "is the same as actual_start")
        cancelled_at = db_cancelled_at = None
        raw_cancelled = row[i_cancelled_at]
        if raw_cancelled.strip():
            if status != cancelled:
                errors.add(line, "cancelled_at", "must be blank unless the visit is cancelled")
            else:
                try:
                    cancelled_at, db_cancelled_at = parse(raw_cancelled)
                except CellError as exc:
                    errors.add(line, "cancelled_at", str(exc))
        # Staged as 1 or 0 on both databases, so the check that a visit's rows
        # agree on it is the same MIN <> MAX as for the other columns.
        time_critical = 0
        word = row[i_time_critical].strip().lower()
        if word in true_words:
            time_critical = 1
        elif word and word not in false_words:
            try:
                parse_bool(row[i_time_critical])
            except CellError as exc:  # always: the word is neither; parse_bool words it
                errors.add(line, "time_critical", str(exc))
        if errors:
            continue
        yield (
            line,
            package[1],  # type: ignore[index]
            package[0],  # type: ignore[index]
            package[2],  # type: ignore[index]
            visit_id,
            carer_ref,
            db_planned_start,
            db_planned_end,
            planned_date,
            db_actual_start,
            db_actual_end,
            status,
            verification,
            db_cancelled_at,
            time_critical,
        )
    counts.rows = rows
    if rows == 0:
        errors.add(2, "visit_id", "the file has a header but no rows")
