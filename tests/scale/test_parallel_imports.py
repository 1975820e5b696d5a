"""Imports of different providers run side by side: each holds only its own
providers' locks until it commits, so a second provider's file goes in while
the first is still open, and a second file of the same provider waits."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import OperationalError, connection, transaction

from common.months import Month
from tests.common.importing import HEADERS, csv_bytes, load_reference_data
from visits import partitions
from visits.imports import import_visits
from visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def one_visit(visit_id: str, package: str, day: str = "2026-10-06") -> bytes:
    return csv_bytes(
        HEADERS["visits"],
        [[visit_id, package, "C1", f"{day}T07:00:00", f"{day}T07:30:00",
          f"{day}T07:00:00", f"{day}T07:30:00", "completed", "ecm"]],
    )  # fmt: skip


def test_a_second_providers_import_does_not_wait_for_the_first() -> None:
    load_reference_data(upto="reviews")  # K1 is P01's package, K2 is P02's
    # The month is made ahead, as the daily task does for this month and the next three.
    partitions.ensure_months([Month.parse("2026-10")])
    first_open, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first_import() -> None:
        try:
            with transaction.atomic():
                import_visits(io.BytesIO(one_visit("VA", "K1")))
                first_open.set()
                release.wait(60)
        finally:
            connection.close()

    def import_in_thread(name: str, data: bytes, lock_timeout: str = "") -> None:
        try:
            with transaction.atomic():
                if lock_timeout:
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
                outcome[name] = import_visits(io.BytesIO(data)).summary
        except OperationalError as exc:
            outcome[name] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=first_import)
    holder.start()
    assert first_open.wait(60)
    # Another provider's file: done while P01's import is still uncommitted.
    other = threading.Thread(target=import_in_thread, args=("P02", one_visit("VB", "K2")))
    other.start()
    other.join(60)
    assert not other.is_alive()
    assert "1 new" in str(outcome["P02"])
    # P01 again: it waits for the first (here until its lock timeout).
    same = threading.Thread(
        target=import_in_thread, args=("P01 again", one_visit("VC", "K1"), "2s")
    )
    same.start()
    same.join(60)
    assert isinstance(outcome["P01 again"], OperationalError)
    assert "lock timeout" in str(outcome["P01 again"])
    release.set()
    holder.join(60)
    assert sorted(Visit.objects.values_list("visit_id", flat=True)) == ["VA", "VB"]


def test_an_import_makes_a_month_it_needs_without_waiting_on_itself() -> None:
    load_reference_data(upto="reviews")
    # A month far ahead, made by no other test (partitions outlive a test's data).
    assert "2031-05" not in partitions.month_partitions()
    done: dict[str, object] = {}

    def run() -> None:
        try:
            data = one_visit("VA", "K1", "2031-05-06")
            done["result"] = import_visits(io.BytesIO(data)).summary
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the import waited on its own new month"
    assert "1 new" in str(done["result"])
    assert "2031-05" in partitions.month_partitions()
