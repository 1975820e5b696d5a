"""A small market with one of each alert's causes, worked out by hand for
20 November 2026 (last month: October; the month before: September)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.market.models import RiskEntry, RiskStatus
from providers.access import COMMISSIONER
from providers.models import CqcImport, CqcLocationRating, Provider, ProviderStatus
from tests.factories import CarePackageFactory, PersonFactory, ProviderFactory, UserFactory
from tests.kpi_factories import london, visit
from visits.models import Visit

TODAY = dt.date(2026, 11, 20)
SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)

# Green on every measure with the default limits.
CALM = {
    "people_supported": 10,
    "late_visit_rate": 0.02,
    "missed_visit_rate": 0.0,
    "people_late_over_10pct": 0,
    "planned_hours": 100.0,
    "delivered_hours": 99.0,
    "mean_carers_per_person": 3.0,
    "six_week_reviews_overdue": 0,
    "ecm_verified_rate": 0.95,
}


def store(provider: Provider | None, month: dt.date, **figures: float) -> MonthlyKpi:
    scope = KpiScope.PROVIDER if provider else KpiScope.MARKET
    return MonthlyKpi.objects.create(
        scope=scope,
        provider=provider,
        month=month,
        figures={**CALM, **figures},
        details={},
        computed_at=timezone.now(),
    )


def publication(provider: Provider, day: dt.date, overall: str, cqc_import: Any = None) -> None:
    CqcLocationRating.objects.create(
        location_id=provider.cqc_location_id,
        provider=provider,
        publication_date=day,
        domain="Overall",
        rating=overall,
        cqc_import=cqc_import,
    )


def every_kind() -> dict[str, Any]:
    """Acme Care has one cause of each kind of alert:
    - late visits 8.2% (amber) in September, 12.5% (red) in October;
    - CQC: Good (2024), Inadequate published 5 November 2026 (the last import);
    - no ECM file and no return for September or October (all overdue by 20 November);
    - risk register: enhanced monitoring, review due 15 November;
    - R-ALONE lives alone and lacks capacity: a missed visit on 5 October and a
      visit 75 minutes late on 6 October (missed: over 60 minutes); one 45
      minutes late on 7 October is late but not missed.
    - R-ONLY lives alone but has capacity: a missed visit, no alert.
    Exited Care has left the market: nothing is owed by it."""
    acme = ProviderFactory(ref="ACME", name="Acme Care", cqc_location_id="1-100")
    ProviderFactory(ref="EXIT", name="Exited Care", status=ProviderStatus.EXITED)
    owner = UserFactory(username="owner", first_name="Sam", last_name="Owner", role=COMMISSIONER)

    store(acme, SEP, late_visit_rate=0.082)
    store(acme, OCT, late_visit_rate=0.125)
    store(None, SEP)
    store(None, OCT)

    publication(acme, dt.date(2024, 1, 10), "Good")
    publication(acme, dt.date(2026, 11, 5), "Inadequate", CqcImport.objects.create(rows=1))

    entry = RiskEntry.objects.create(
        provider=acme,
        status=RiskStatus.ENHANCED,
        reasons="Late visits rising.",
        owner=owner,
        next_review=dt.date(2026, 11, 15),
    )

    alone = PersonFactory(ref="R-ALONE", lives_alone=True, lacks_capacity=True)
    package = CarePackageFactory(provider=acme, person=alone)
    visit(package, london(2026, 10, 5, 8, 0), status="missed")
    visit(package, london(2026, 10, 6, 8, 0), late=dt.timedelta(minutes=75))
    visit(package, london(2026, 10, 7, 8, 0), late=dt.timedelta(minutes=45))
    only_alone = PersonFactory(ref="R-ONLY", lives_alone=True, lacks_capacity=False)
    visit(
        CarePackageFactory(provider=acme, person=only_alone),
        london(2026, 10, 5, 9, 0),
        status="missed",
    )
    return {"acme": acme, "entry": entry, "owner": owner}


def expected_keys(acme: Provider, entry: RiskEntry) -> set[tuple[str, int, str, dt.date]]:
    """The natural key (kind, provider, subject, day) of each alert of `every_kind`."""
    visit_ids = dict(
        Visit.objects.filter(provider=acme, person__ref="R-ALONE").values_list(
            "planned_date", "visit_id"
        )
    )
    return {
        ("kpi_red", acme.pk, "late_visit_rate", OCT),
        ("cqc_downgrade", acme.pk, "1-100", dt.date(2026, 11, 5)),
        ("ecm_missed", acme.pk, "ecm", SEP),
        ("ecm_missed", acme.pk, "ecm", OCT),
        ("return_missed", acme.pk, "return", SEP),
        ("return_missed", acme.pk, "return", OCT),
        ("risk_review_overdue", acme.pk, str(entry.pk), dt.date(2026, 11, 15)),
        (
            "vulnerable_visit_missed",
            acme.pk,
            visit_ids[dt.date(2026, 10, 5)],
            dt.date(2026, 10, 5),
        ),
        (
            "vulnerable_visit_missed",
            acme.pk,
            visit_ids[dt.date(2026, 10, 6)],
            dt.date(2026, 10, 6),
        ),
    }
