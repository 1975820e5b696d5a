"""Reads for alerts: what each source says should be raised today (through
the other apps' own selectors), and the alerts a user may see. Each source
runs a fixed number of queries whatever the number of providers or visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from common.months import LONDON, Month
from homecare.alerts.models import Alert, AlertKind, AlertRead
from homecare.dashboards import rag
from homecare.dashboards import selectors as dashboards
from homecare.dashboards.presenters.figures import stored_ratings
from homecare.kpis import engine
from homecare.market.selectors import cqc, register
from homecare.returns import due
from homecare.returns import selectors as returns
from homecare.returns.models import DueKind
from homecare.ui import formats
from providers.access import is_council_staff, scope
from providers.models import Provider
from visits.models import Visit

# What a provider's own users do not see: the council's risk register is
# council staff's working record (the market pages are theirs alone).
COUNCIL_ONLY = (AlertKind.RISK_REVIEW_OVERDUE,)


@dataclass(frozen=True)
class Candidate:
    """An alert a source calls for; raised unless its key is there already."""

    kind: str
    provider_id: int
    subject: str
    on: dt.date
    message: str
    link: str = ""

    @property
    def key(self) -> tuple[str, int, str, dt.date]:
        return (self.kind, self.provider_id, self.subject, self.on)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- the sources ----------------------------------------------------------------------


def latest_kpi_month() -> Month | None:
    months = dashboards.computed_months()
    return Month.of(months[0]) if months else None


def turned_red(month: Month) -> list[Candidate]:
    """Providers red on a measure in `month` that were not red on it the month
    before (or had no rating then), from the stored ratings (one query)."""
    previous = month.previous()
    now: dict[int, tuple[Provider, dict[str, rag.Rating]]] = {}
    before: dict[int, dict[str, rag.Rating]] = {}
    for row in dashboards.provider_rows_of([previous.first, month.first]):
        if row.provider is None:
            continue
        if row.month == month.first:
            now[row.provider.pk] = (row.provider, stored_ratings(row))
        else:
            before[row.provider.pk] = stored_ratings(row)
    out = []
    label = formats.month_name(month.first)
    for provider_id, (provider, ratings) in now.items():
        earlier = before.get(provider_id, {})
        for key, rating in ratings.items():
            if rating.status != rag.RED:
                continue
            was = earlier.get(key)
            if was is not None and was.status == rag.RED:
                continue
            then = (
                f" (it was {was.label.lower()} in {formats.month_name(previous.first)}, "
                f"{was.display})"
                if was is not None and was.status != rag.NO_DATA
                else ""
            )
            out.append(
                Candidate(
                    AlertKind.KPI_RED,
                    provider_id,
                    key,
                    month.first,
                    f"{provider.name} turned red on {_lower_first(rating.measure.label)} in "
                    f"{label}: {rating.display}{then}. {rating.reason}",
                    reverse("provider-dashboard", args=[provider.ref]) + f"?month={month.key}",
                )
            )
    return out


def cqc_downgrades() -> list[Candidate]:
    """The downgrades the market's CQC page flags (those the last CQC import
    brought in), each once per publication."""
    providers = list(Provider.objects.exclude(cqc_location_id=""))
    return [
        Candidate(
            AlertKind.CQC_DOWNGRADE,
            d.provider.pk,
            d.after.location_id,
            d.after.published,
            f"CQC rated {d.provider.name} {d.after.overall} on "
            f"{formats.date(d.after.published)}, down from {d.before.overall} "
            f"({formats.date(d.before.published)}).",
            reverse("market-cqc"),
        )
        for d in cqc.downgrades_since_last_import(providers)
    ]


def missed_returns(today: dt.date) -> list[Candidate]:
    """ECM files and returns past their due date and not received, for the
    months a provider may still owe (the tracker's own states)."""
    out = []
    providers = returns.tracked_providers()
    for month in returns.months_due(today):
        label = formats.month_name(month.first)
        for row in returns.month_tracker(month, today, providers):
            p = row.provider
            if row.ecm.state == due.MISSING:
                out.append(
                    Candidate(
                        AlertKind.ECM_MISSED,
                        p.pk,
                        DueKind.ECM_FILE,
                        month.first,
                        f"{p.name} has not sent its ECM visits file for {label}, "
                        f"due by {formats.date(row.ecm.due)}.",
                        reverse("provider", args=[p.ref]),
                    )
                )
            if row.provider_return.state == due.MISSING:
                out.append(
                    Candidate(
                        AlertKind.RETURN_MISSED,
                        p.pk,
                        DueKind.RETURN,
                        month.first,
                        f"{p.name} has not submitted its monthly return for {label}, "
                        f"due by {formats.date(row.provider_return.due)}.",
                        reverse("return", args=[p.ref, month.key]),
                    )
                )
    return out


def overdue_risk_reviews(today: dt.date) -> list[Candidate]:
    """Current risk register entries whose review date has passed (the
    register's own rule): once per entry and review date."""
    out = []
    for entry in register.current_entries().values():
        if not register.is_overdue(entry, today):
            continue
        owner = entry.owner.get_full_name() or entry.owner.get_username()
        out.append(
            Candidate(
                AlertKind.RISK_REVIEW_OVERDUE,
                entry.provider_id,
                str(entry.pk),
                entry.next_review,
                f"The risk register review of {entry.provider.name} "
                f"({entry.get_status_display()}) was due on {formats.date(entry.next_review)}; "
                f"owner {owner}.",
                reverse("market-register-provider", args=[entry.provider.ref]),
            )
        )
    return out


def vulnerable_missed_visits(today: dt.date) -> list[Candidate]:
    """Missed visits (kpi-definitions.md, Timeliness: status missed, or
    delivered more than missed_after_minutes late, with each contract's
    thresholds) of people recorded as living alone and lacking capacity, in
    this month and the two before it (ECM files arrive after the month). One
    query for the visits."""
    months = [Month.of(today), *returns.months_due(today)]
    missed = Q()
    for month in months:
        # Each month with its own thresholds, exactly as the KPIs count it.
        in_month = Q(planned_date__gte=month.first, planned_date__lte=month.last)
        missed |= in_month & engine.visit_conditions(month)["missed"]
    visits = (
        Visit.objects.filter(missed, person__lives_alone=True, person__lacks_capacity=True)
        .values_list(
            "provider_id",
            "provider__name",
            "provider__ref",
            "visit_id",
            "planned_date",
            "planned_start",
            "status",
            "person__ref",
        )
        .order_by("planned_start")
    )
    out = []
    for provider_id, name, ref, visit_id, day, start, status, person in visits:
        how = "was missed" if status == "missed" else "started so late that it counts as missed"
        when = f"{formats.date(day)} at {start.astimezone(LONDON):%H:%M}"
        out.append(
            Candidate(
                AlertKind.VULNERABLE_VISIT_MISSED,
                provider_id,
                visit_id,
                day,
                f"A visit to {person}, who lives alone and lacks capacity, {how}: "
                f"{name}, planned {when}.",
                reverse("provider-dashboard", args=[ref])
                + f"?month={Month.of(day).key}&kind=missed",
            )
        )
    return out


def existing_keys(candidates: list[Candidate]) -> set[tuple[str, int, str, dt.date]]:
    """Which of the candidates are raised already (one query)."""
    if not candidates:
        return set()
    kinds = {c.kind for c in candidates}
    days = {c.on for c in candidates}
    return set(
        Alert.objects.filter(kind__in=kinds, on__in=days).values_list(
            "kind", "provider_id", "subject", "on"
        )
    )


# --- what a user sees -----------------------------------------------------------------


def visible_alerts(user: User | AnonymousUser) -> QuerySet[Alert]:
    """The alerts the user may see, each marked read or not for them."""
    alerts = scope(Alert.objects.all(), user)
    if not is_council_staff(user):
        alerts = alerts.exclude(kind__in=COUNCIL_ONLY)
    return alerts.annotate(is_read=_read_by(user)).select_related("provider")


def _read_by(user: User | AnonymousUser) -> Exists:
    return Exists(AlertRead.objects.filter(alert=OuterRef("pk"), user_id=user.pk or 0))


def only_unread(alerts: QuerySet[Alert], user: User | AnonymousUser) -> QuerySet[Alert]:
    return alerts.filter(~_read_by(user))


def only_read(alerts: QuerySet[Alert], user: User | AnonymousUser) -> QuerySet[Alert]:
    return alerts.filter(_read_by(user))


def unread_count(user: User | AnonymousUser) -> int:
    """Counted afresh, and kept for the navigation (below)."""
    count = only_unread(visible_alerts(user), user).count()
    cache.set(_count_key(user), count, COUNT_SECONDS)
    return count


# The navigation's count is kept this long per user: a new alert (raised once a
# day) or a read in another web process shows within a minute; the user's own
# reads forget it at once (forget_unread_count).
COUNT_SECONDS = 60


def _count_key(user: User | AnonymousUser) -> str:
    return f"alerts-unread:{user.pk}"


def cached_unread_count(user: User | AnonymousUser) -> int:
    count = cache.get(_count_key(user))
    return unread_count(user) if count is None else int(count)


def forget_unread_count(user: User | AnonymousUser) -> None:
    cache.delete(_count_key(user))


def alert_providers(user: User | AnonymousUser) -> QuerySet[Provider]:
    """The providers with alerts the user may see, for the filter."""
    ids = visible_alerts(user).values("provider_id")
    return Provider.objects.filter(pk__in=ids).order_by("name")


def new_for_digest(user: User, since: dt.datetime) -> list[Alert]:
    """The alerts raised since `since` that the user may see and has not read."""
    return list(
        only_unread(visible_alerts(user), user)
        .filter(raised_at__gt=since)
        .order_by("provider__name", "kind", "on")
    )
