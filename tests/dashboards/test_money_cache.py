"""The market's year of money figures (issue 13) in the cache: short keys any
backend takes, and worked out after a month's KPIs so the market page's first
view reads them instead of a year of visits."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning, memcache_key_warnings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.months import Month
from homecare.dashboards import selectors, tasks
from homecare.kpis import tasks as kpi_tasks
from tests.conftest import login
from tests.payments.scenario import spend_market
from visits.models import ImportKind, ImportOutcome, ImportRecord

pytestmark = pytest.mark.django_db

OCT = Month.parse("2026-10")
# The spend query's own aggregate (homecare/payments/selectors.monthly_spend):
# it reads a year of visits, the query the cache is there to spare.
SPEND_QUERY = "SUM(l.pence)"


@pytest.fixture
def market() -> None:
    # Two providers, spend worked out by hand (tests/payments/test_spend.py).
    spend_market()


def money_section(page: str) -> str:
    found = re.search(r'<section[^>]*aria-labelledby="money-heading".*?</section>', page, re.S)
    assert found, "the page has no money section"
    return found.group(0)


def test_money_key_is_short_and_valid_for_any_backend():
    stamp = (dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC), "12@2026-11-02T09:31:00+00:00/")
    key = selectors.money_key(OCT, None, None, stamp)
    assert list(memcache_key_warnings(cache.make_key(key))) == []
    assert len(key) < 100
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        cache.set(key, "figures")
    # A new import, another provider or lot, another month: another key.
    later = (dt.datetime(2026, 11, 3, tzinfo=dt.UTC), stamp[1])
    others = {
        selectors.money_key(OCT, None, None, later),
        selectors.money_key(OCT, 7, None, stamp),
        selectors.money_key(OCT, None, 7, stamp),
        selectors.money_key(OCT.previous(), None, None, stamp),
    }
    assert key not in others and len(others) == 4
    assert selectors.money_key(OCT, None, None, stamp) == key


def _compute_kpis_warming_in_process() -> mock.MagicMock:
    # The listener queues the task; here it runs at once, in this process.
    with mock.patch.object(
        tasks.warm_money,
        "delay",
        side_effect=lambda month: tasks.warm_money.apply(args=(month,)).get(),
    ) as delay:
        kpi_tasks.compute_month.apply(args=("2026-10",)).get()
    return delay


@pytest.fixture
def warming(settings):
    settings.MONEY_WARM_AFTER_KPIS = True
    # Only the money figures follow the KPIs here: nothing goes to a broker.
    settings.PACKS_BUILD_AFTER_KPIS = False
    settings.ALERTS_AFTER_KPIS = False


def test_market_page_after_kpis_reads_the_warmed_money_figures(
    client,
    commissioner,
    market,
    warming,
):
    cache.clear()
    delay = _compute_kpis_warming_in_process()
    delay.assert_called_once_with("2026-10")
    login(client, commissioner)

    with CaptureQueriesContext(connection) as warmed:
        warm_page = client.get("/market/?month=2026-10").content.decode()
    assert not [q for q in warmed.captured_queries if SPEND_QUERY in q["sql"]]

    # The same page with nothing cached works the year out again, and shows
    # the same figures.
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        cold_page = client.get("/market/?month=2026-10").content.decode()
    assert [q for q in cold.captured_queries if SPEND_QUERY in q["sql"]]
    assert len(warmed.captured_queries) <= len(cold.captured_queries) - 4
    assert money_section(warm_page) == money_section(cold_page)
    # October: 2 hours at 22.00 and 1 at 30.00 (tests/payments/test_spend.py).
    assert "£74.00" in money_section(warm_page) and "£24.67" in money_section(warm_page)


def test_a_new_import_after_warming_is_not_hidden(client, commissioner, market, warming):
    # The warmed figures are keyed by the last import: a file coming in after
    # them makes the page work the year out afresh rather than show old figures.
    _compute_kpis_warming_in_process()
    ImportRecord.objects.create(
        kind=ImportKind.VISITS,
        outcome=ImportOutcome.SUCCEEDED,
        finished_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    login(client, commissioner)
    with CaptureQueriesContext(connection) as queries:
        client.get("/market/?month=2026-10")
    assert [q for q in queries.captured_queries if SPEND_QUERY in q["sql"]]


def test_warming_twice_works_the_year_out_once(market):
    # A burst of provider uploads queues a warm after each recompute: the ones
    # finding the figures there already do nothing.
    assert tasks.warm_money.apply(args=("2026-10",)).get() is True
    assert tasks.warm_money.apply(args=("2026-10",)).get() is False


def test_kpis_queue_no_warming_without_a_shared_cache(market, settings):
    settings.MONEY_WARM_AFTER_KPIS = False
    settings.PACKS_BUILD_AFTER_KPIS = False
    settings.ALERTS_AFTER_KPIS = False
    with mock.patch.object(tasks.warm_money, "delay") as delay:
        kpi_tasks.compute_month.apply(args=("2026-10",)).get()
    delay.assert_not_called()


def test_money_figures_failing_to_queue_do_not_fail_the_kpis(market, warming):
    with mock.patch.object(tasks.warm_money, "delay", side_effect=ConnectionError("no redis")):
        result = kpi_tasks.compute_month.apply(args=("2026-10",)).get()
    assert result["month"] == "2026-10"
