"""Writes: building and storing packs. A pack is rebuilt only when the stored
results it shows have changed (its source stamp differs), so the build that
follows every KPI computation costs little when nothing moved."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from common.months import Month
from homecare.kpis.selectors import month_is_computed
from homecare.packs import builder, selectors
from homecare.packs.models import Pack, PackKind
from providers.models import Provider

logger = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    month: str
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "month": self.month,
            "built": self.built,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


def _store(*, month: Month, provider: Provider | None, built: builder.Built, stamp: dict) -> Pack:
    kind = PackKind.PROVIDER if provider else PackKind.MARKET
    with transaction.atomic():
        pack = (
            Pack.objects.select_for_update()
            .filter(kind=kind, provider=provider, month=month.first)
            .order_by()
        ).first() or Pack(kind=kind, provider=provider, month=month.first)
        old_name = pack.file.name if pack.file else None
        pack.pages = built.pages
        pack.size = len(built.pdf)
        pack.built_at = timezone.now()
        pack.sources = stamp["sources"]
        pack.source_stamp = stamp["stamp"]
        # Saved under a fresh name, the old file deleted once the row points at
        # the new one: a download in progress never gets half a file.
        pack.file.save(pack.filename, ContentFile(built.pdf), save=False)
        pack.save()
        if old_name and old_name != pack.file.name:
            name = old_name
            transaction.on_commit(lambda: pack.file.storage.delete(name))
    return pack


def build_provider_pack(provider: Provider, month: Month, *, force: bool = False) -> Pack | None:
    """Build (or keep) one provider's pack. Returns None when it was up to date."""
    stamp = selectors.provider_sources(provider, month)
    existing = selectors.find_pack(month, provider)
    if existing and not force and existing.source_stamp == stamp["stamp"] and existing.file:
        return None
    built = builder.render_provider_pack(provider, month)
    return _store(month=month, provider=provider, built=built, stamp=stamp)


def build_market_pack(month: Month, *, force: bool = False) -> Pack | None:
    stamp = selectors.market_sources(month)
    existing = selectors.find_pack(month, None)
    if existing and not force and existing.source_stamp == stamp["stamp"] and existing.file:
        return None
    built = builder.render_market_pack(month)
    return _store(month=month, provider=None, built=built, stamp=stamp)


def build_month_packs(
    month: str | Month, provider_ref: str | None = None, *, force: bool = False
) -> BuildSummary:
    """Every pack of a month whose results changed: the market pack and each
    provider with results, or one provider's pack only. A month never computed
    builds nothing (there is nothing to print)."""
    month = month if isinstance(month, Month) else Month.parse(month)
    summary = BuildSummary(month=month.key)
    if not month_is_computed(month):
        logger.info("No KPIs stored for %s: no packs built", month)
        return summary
    providers = list(selectors.providers_with_results(month))
    if provider_ref:
        providers = [p for p in providers if p.ref == provider_ref]
    else:
        outcome = build_market_pack(month, force=force)
        (summary.built if outcome else summary.unchanged).append("market")
        # A provider that dropped out of the month (no results any more) loses its pack.
        for gone in Pack.objects.filter(kind=PackKind.PROVIDER, month=month.first).exclude(
            provider__in=providers
        ):
            summary.removed.append(gone.provider.ref if gone.provider else "")
            gone.file.delete(save=False)
            gone.delete()
    for provider in providers:
        outcome = build_provider_pack(provider, month, force=force)
        (summary.built if outcome else summary.unchanged).append(provider.ref)
    logger.info(
        "Packs for %s: %d built, %d unchanged", month, len(summary.built), len(summary.unchanged)
    )
    return summary
