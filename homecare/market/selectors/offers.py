"""Whom to offer a new request for care, in order (issue 15): the lot's
providers as the latest provider ranking placed them, with providers under
a placement embargo taken out and the register's reason shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from homecare.market.models import RiskEntry, RiskStatus
from homecare.market.selectors.register import current_entries
from homecare.ranking.models import ProviderRank, RankingCycle
from homecare.ranking.selectors import latest_order


@dataclass
class Offers:
    ranked: list[ProviderRank] = field(default_factory=list)
    embargoed: list[tuple[ProviderRank, RiskEntry]] = field(default_factory=list)
    # The ranking the order comes from (None: no ranking covers the lot).
    cycle: RankingCycle | None = None

    @property
    def any_ranking(self) -> bool:
        return self.cycle is not None


def offer_order(lot_id: int | None) -> Offers:
    """The lot's providers to offer a request to, best first (three queries);
    empty when the request names no lot or no ranking covers the lot."""
    if lot_id is None:
        return Offers()
    order = latest_order(lot_id)
    if not order:
        return Offers()
    entries = current_entries([rank.provider for rank in order])
    offers = Offers(cycle=order[0].cycle)
    for rank in order:
        entry = entries.get(rank.provider_id)
        if entry is not None and entry.status == RiskStatus.EMBARGO:
            offers.embargoed.append((rank, entry))
        else:
            offers.ranked.append(rank)
    return offers
