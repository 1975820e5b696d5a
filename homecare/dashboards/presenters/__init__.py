"""Presenters: one per view of a month (issue 11).

`ProviderMonth`, `LotMonth` and `MarketMonth` gather a month's stored figures,
its stored RAG rating with the reasons, the change from last month, the chart
series and the lists behind the figures, and write every value out once
(homecare/ui/formats.py, with the labels and units of
homecare/kpis/registry.py). The dashboard pages and the PDF packs both render
from them, so a figure cannot read differently in the two.
"""

from homecare.dashboards.presenters.changes import MonthChanges
from homecare.dashboards.presenters.lot import LotMonth
from homecare.dashboards.presenters.market import MarketMonth
from homecare.dashboards.presenters.provider import ProviderMonth

__all__ = ["LotMonth", "MarketMonth", "MonthChanges", "ProviderMonth"]
