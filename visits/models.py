from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from contracts.models import CarePackage, Person
from providers.models import Provider


class CareWorker(models.Model):
    """A care worker, pseudonymous and known only within their provider."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="care_workers")
    ref = models.CharField("carer ref", max_length=64)

    class Meta:
        ordering = ["provider", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "ref"], name="careworker_unique_ref")
        ]

    def __str__(self) -> str:
        return self.ref


class VisitStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


# Visits and their carer rows come a million at a time. Their references are
# resolved by the importer inside its own transaction, so the database-level
# foreign key checks (deferred to commit, one trigger per row per key) would
# double the time of an import for no gain; Django still protects deletes.
# Hence db_constraint=False on their keys.


class Visit(models.Model):
    """One planned call. Provider and person are copied from the package when
    imported so that monthly figures group without joining through packages."""

    # The composite indexes below lead with provider and person, so the
    # single-column foreign key indexes would only slow the million-row imports.
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    visit_id = models.CharField("ECM visit id", max_length=64)
    # Unindexed: nothing reads visits by package but the (rare) deletion of a
    # package, and each index costs every million-row import about a second.
    package = models.ForeignKey(
        CarePackage,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField()
    # The Europe/London date of the planned start decides the visit's month; it
    # is fixed at import so every database groups visits the same way.
    planned_date = models.DateField()
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=VisitStatus.choices)
    # When a cancelled visit was called off (visits.csv, optional): decides
    # whether it was short notice and so paid (payment-definitions.md).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ecm_verified = models.BooleanField(
        "ECM verified", default=False, help_text="Every care worker's times came from ECM."
    )
    carer_count = models.PositiveSmallIntegerField(default=0)
    # visits.csv, optional (issue 15): the visit must start within its own
    # window (medication, insulin, meals). A visit is also time-critical when
    # its package is (CarePackage.time_critical); the KPI engine reads both.
    # db_default too, so a raw INSERT that does not name it (the import's own
    # names every column) still stores "no".
    time_critical = models.BooleanField(default=False, db_default=False)
    care_workers: models.ManyToManyField[CareWorker, VisitCarer] = models.ManyToManyField(
        CareWorker, through="VisitCarer", related_name="visits", blank=True
    )

    class Meta:
        ordering = ["planned_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "visit_id"], name="visit_unique_per_provider"
            )
        ]
        # Every index here is paid for by each million-row import, so only the
        # one the pages need: a provider's month. Whole-month reads across all
        # providers (the KPI engine) use a BRIN index on planned_date that
        # migration 0002 adds on PostgreSQL: visits arrive roughly in date order,
        # so it is tiny and nearly free to keep up.
        indexes = [models.Index(fields=["provider", "planned_date"])]

    def __str__(self) -> str:
        return self.visit_id


class VisitCarer(models.Model):
    """One care worker's part in a visit: one row of the ECM export.

    Keyed by (visit, care worker) itself: a million of these come in one import,
    and a surrogate id would cost a sequence and a second unique index per row.
    Deleting a care worker (rare) may scan; no index is kept for it."""

    pk = models.CompositePrimaryKey("visit", "care_worker")
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        related_name="carer_rows",
        db_index=False,
        db_constraint=False,
    )
    care_worker = models.ForeignKey(
        CareWorker,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The visit's own planned_date, copied: on PostgreSQL both tables are
    # partitioned by month on it (visits/partitions.py), so a visit's care
    # workers sit in the same month's partition and go with it.
    planned_date = models.DateField()
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    verification = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.care_worker_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.planned_date is None:
            self.planned_date = self.visit.planned_date
        super().save(*args, **kwargs)


class ImportKind(models.TextChoices):
    PROVIDERS = "providers", "Providers"
    CONTRACTS = "contracts", "Contracts"
    PEOPLE = "people", "People"
    PACKAGES = "packages", "Care packages"
    REVIEWS = "reviews", "Package reviews"
    VISITS = "visits", "Visits (ECM export)"
    CONTRACT_RATES = "contract_rates", "Contract rates"
    TIME_BANK = "time_bank", "Banked time"
    REQUESTS = "requests", "Requests for care"
    CQC_RATINGS = "cqc_ratings", "CQC latest ratings (as CQC publishes it)"
    CAPACITY = "capacity", "Declared spare capacity"


class ImportOutcome(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Imported"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"


class ImportRecord(models.Model):
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    stored_file = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Set when a provider's user uploads: the file may then touch only that provider.
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=ImportOutcome.choices, default=ImportOutcome.QUEUED
    )
    # When the import task last reached the queue; empty while the file waits
    # for the queue to come back (the upload is kept and a sweep sends it).
    queued_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker has started it: a worker killed mid-import leaves
    # it running and the queue hands it out again, but not for ever.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Failed because the worker running it stopped (killed, restarted), not
    # because of the file or an error: it can be run again as it is.
    interrupted = models.BooleanField(default=False)
    # The uploaded file is deleted once imported, or some days after it failed.
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    ignored_columns = models.JSONField(default=list, blank=True)
    months_touched = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    error_report = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import of {self.file_name}"

    @property
    def outcome_label(self) -> str:
        if self.outcome == ImportOutcome.FAILED and self.interrupted:
            return "Failed: interrupted"
        return self.get_outcome_display()

    @property
    def waiting_for_queue(self) -> bool:
        """Saved but not yet handed to the task queue (it was down)."""
        return self.outcome == ImportOutcome.QUEUED and self.queued_at is None
