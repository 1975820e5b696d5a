"""Reads from a replica: with a `replica` database (here the primary again, as
DATABASE_REPLICA_URL pointing at it would make), the dashboards, their CSV
export and the packs read from it and write nothing to it; every other page and
every write uses the primary; without one, everything uses the primary."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from homecare.kpis.models import MonthlyKpi
from homecare.packs.tasks import build_packs
from homecare.scale.routers import REPLICA, ReplicaRouter, replica_reads
from tests.conftest import login
from tests.dashboards.market_data import OCTOBER, build_market

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup) -> Iterator[str]:
    """A `replica` alias on the primary's (test) database, as settings make it
    from DATABASE_REPLICA_URL, with the test mirror Django gives it. Set up
    before each test's database access is (module scope)."""
    alias = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    settings.DATABASES[REPLICA] = alias
    connections.settings[REPLICA] = alias
    try:
        yield REPLICA
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        # connections.settings is settings.DATABASES itself.
        settings.DATABASES.pop(REPLICA, None)


def tables_read(captured: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in captured.captured_queries)


def test_dashboards_and_their_export_read_from_the_replica(replica, commissioner) -> None:
    build_market()
    client = login(Client(), commissioner)
    for path, query in (
        ("/market/", {"month": OCTOBER}),
        ("/market/", {"month": OCTOBER, "_export": "csv"}),
    ):
        with (
            CaptureQueriesContext(connections[replica]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            assert client.get(path, query).status_code == 200
        assert "kpis_monthlykpi" in tables_read(on_replica), path
        assert "kpis_monthlykpi" not in tables_read(on_primary), path
        # The replica is only read from.
        statements = [q["sql"].lstrip().upper() for q in on_replica.captured_queries]
        writes = ("INSERT", "UPDATE", "DELETE")
        assert [sql for sql in statements if sql.startswith(writes)] == []


def test_other_pages_and_every_write_use_the_primary(replica, commissioner) -> None:
    build_market()
    client = login(Client(), commissioner)
    with CaptureQueriesContext(connections[replica]) as on_replica:
        assert client.get("/imports/").status_code == 200
    assert on_replica.captured_queries == []
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(MonthlyKpi) == REPLICA
        assert router.db_for_write(MonthlyKpi) == "default"
    assert router.db_for_read(MonthlyKpi) is None
    assert not router.allow_migrate(REPLICA, "kpis")


def test_pack_tasks_read_from_the_replica(replica, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path  # packs are written under it
    build_market()
    provider = MonthlyKpi.objects.filter(scope="provider").select_related("provider").first()
    with CaptureQueriesContext(connections[replica]) as on_replica:
        build_packs.apply(args=(OCTOBER, provider.provider.ref)).get()
    assert "kpis_monthlykpi" in tables_read(on_replica)


def test_without_a_replica_everything_reads_the_primary() -> None:
    with (
        mock.patch("homecare.scale.routers.replica_configured", return_value=False),
        replica_reads(),
    ):
        assert ReplicaRouter().db_for_read(MonthlyKpi) is None
