"""CQC publications of a location, as kept by the CQC ratings import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from providers.models import CQC_DOMAINS, CqcLocationRating, Provider


@dataclass
class Publication:
    location_id: str
    published: dt.date
    ratings: dict[str, str] = field(default_factory=dict)
    url: str = ""

    @property
    def overall(self) -> str:
        return self.ratings.get("Overall", "")


def publications(location_ids: set[str]) -> dict[str, list[Publication]]:
    """Every publication of the locations, newest first (one query)."""
    out: dict[str, list[Publication]] = {}
    rows = CqcLocationRating.objects.filter(location_id__in=location_ids).order_by(
        "location_id", "-publication_date", "domain"
    )
    for loc, day, domain, rating, url in rows.values_list(
        "location_id", "publication_date", "domain", "rating", "url"
    ):
        history = out.setdefault(loc, [])
        if not history or history[-1].published != day:
            history.append(Publication(location_id=loc, published=day))
        history[-1].ratings[domain] = rating
        history[-1].url = history[-1].url or url
    return out


def key_questions(provider: Provider) -> list[Publication]:
    """The provider's publications, newest first: the five key questions and
    overall of each."""
    if not provider.cqc_location_id:
        return []
    return publications({provider.cqc_location_id}).get(provider.cqc_location_id, [])


DOMAINS = CQC_DOMAINS
