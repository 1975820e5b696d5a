"""The package_hours history: commissioned weekly hours with their dates kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef

from common.months import LONDON
from contracts.models import CarePackage, PackageHours


def seed_package_hours() -> None:
    """A first history row, from the package's start, for every package whose
    weekly hours have none yet."""
    missing = CarePackage.objects.filter(planned_weekly_hours__isnull=False).exclude(
        Exists(PackageHours.objects.filter(package=OuterRef("pk")))
    )
    PackageHours.objects.bulk_create(
        [
            PackageHours(package_id=pk, effective_from=start, weekly_hours=weekly)
            for pk, start, weekly in missing.values_list("pk", "start_date", "planned_weekly_hours")
            if weekly is not None
        ],
        batch_size=2000,
    )


def record_package_hours(
    hours: dict[str, tuple[Decimal, date | None, date | None]], today: date | None = None
) -> int:
    """After a packages.csv import: each package whose weekly hours changed gets
    a row from `hours_from` (or today, London time; a new package from its start
    date). A row already on that date is corrected in place. Returns rows written."""
    today = today or _london_today()
    ids = dict(CarePackage.objects.filter(ref__in=list(hours)).values_list("ref", "pk"))
    history: dict[int, list[tuple[date, Decimal]]] = {}
    for package_id, day, weekly in PackageHours.objects.filter(
        package_id__in=list(ids.values())
    ).values_list("package_id", "effective_from", "weekly_hours"):
        history.setdefault(package_id, []).append((day, weekly))
    writes: list[PackageHours] = []
    for ref, (weekly, hours_from, start) in hours.items():
        package_id = ids[ref]
        rows = sorted(history.get(package_id, []))
        if not rows:
            day = hours_from or start or today
        else:
            day = hours_from or today
            in_force = [w for d, w in rows if d <= day]
            if in_force and in_force[-1] == weekly and all(d <= day for d, _ in rows):
                continue  # nothing changed
        writes.append(PackageHours(package_id=package_id, effective_from=day, weekly_hours=weekly))
    PackageHours.objects.bulk_create(
        writes,
        update_conflicts=True,
        unique_fields=["package", "effective_from"],
        update_fields=["weekly_hours"],
        batch_size=2000,
    )
    return len(writes)


def _london_today() -> date:
    return datetime.now(UTC).astimezone(LONDON).date()
