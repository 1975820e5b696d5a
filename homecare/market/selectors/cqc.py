"""Current CQC ratings: the newest publication of each provider's location."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from providers.models import CQC_ORDER, CqcImport, CqcLocationRating, Provider
from providers.ratings import Publication, publications


@dataclass
class CurrentRating:
    rating: str
    published: dt.date | None
    from_cqc_file: bool


def current_ratings(providers: list[Provider]) -> dict[int, CurrentRating]:
    """The overall rating of the newest publication of each provider's
    cqc_location_id; none imported: the rating of providers.csv."""
    history = publications({p.cqc_location_id for p in providers if p.cqc_location_id})
    out = {}
    for provider in providers:
        newest = next(
            (pub for pub in history.get(provider.cqc_location_id, []) if pub.overall), None
        )
        if newest is not None:
            out[provider.pk] = CurrentRating(newest.overall, newest.published, True)
        else:
            out[provider.pk] = CurrentRating(provider.cqc_rating, provider.cqc_rating_date, False)
    return out


def is_downgrade(before: str, after: str) -> bool:
    if before not in CQC_ORDER or after not in CQC_ORDER:
        return False
    return CQC_ORDER.index(after) > CQC_ORDER.index(before)


@dataclass
class Downgrade:
    provider: Provider
    before: Publication
    after: Publication


def downgrades_since_last_import(providers: list[Provider]) -> list[Downgrade]:
    """Overall downgrades among the publications the last import (that
    changed anything) brought in."""
    last = CqcImport.objects.order_by("-imported_at", "-pk").first()
    if last is None:
        return []
    new = set(
        CqcLocationRating.objects.filter(cqc_import=last, domain="Overall").values_list(
            "location_id", "publication_date"
        )
    )
    by_location = {p.cqc_location_id: p for p in providers if p.cqc_location_id}
    history = publications({loc for loc, _ in new if loc in by_location})
    found = []
    for loc, pubs in history.items():
        rated = [pub for pub in pubs if pub.overall]
        for newer, older in zip(rated, rated[1:], strict=False):
            if (loc, newer.published) in new and is_downgrade(older.overall, newer.overall):
                found.append(Downgrade(by_location[loc], older, newer))
    return sorted(found, key=lambda d: d.provider.name)
