from decimal import Decimal

from django.db import models

from providers.models import Provider


class Framework(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="lots")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["framework__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="lot_unique_in_framework")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.framework})"


class PaymentBasis(models.TextChoices):
    PLANNED = "planned", "Planned hours"
    VERIFIED = "verified", "ECM-verified hours"


class Contract(models.Model):
    ref = models.CharField("contract ref", max_length=64, unique=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="contracts")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    hourly_rate = models.DecimalField(
        "hourly rate (GBP)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    # How visits are paid (shared/specs/payment-definitions.md): on planned
    # minutes, or on ECM-verified actual minutes.
    payment_basis = models.CharField(
        max_length=16, choices=PaymentBasis.choices, default=PaymentBasis.PLANNED
    )
    # Verified basis only: each care worker's minutes rounded to the nearest
    # multiple of this (halves up); blank = exact minutes.
    rounding_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # A cancellation less than this many hours before the planned start is paid;
    # blank = short-notice cancellations are not paid.
    short_notice_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    # Flex (issue 13): a package may differ from its commissioned hours by up to
    # this many hours a week, and differ at all for up to flex_weeks weeks running,
    # before it must be re-assessed.
    flex_weekly_hours = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("7.00"))
    flex_weeks = models.PositiveSmallIntegerField(default=6)

    class Meta:
        ordering = ["ref"]

    def __str__(self) -> str:
        return self.ref


class ContractRate(models.Model):
    """An hourly rate in force from a date (contract_rates.csv). The rate on a day
    is the one with the latest effective_from on or before it; before any, the
    contract's own hourly_rate."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField()
    hourly_rate = models.DecimalField("hourly rate (GBP)", max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["contract", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "effective_from"], name="contractrate_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} from {self.effective_from}: {self.hourly_rate}"


class Person(models.Model):
    """Someone who receives care, known only by a pseudonymous reference: the
    service holds no names, addresses or dates of birth by design."""

    ref = models.CharField("person ref", max_length=64, unique=True)
    lives_alone = models.BooleanField(null=True, blank=True)
    lacks_capacity = models.BooleanField(null=True, blank=True)
    postcode_district = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["ref"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.ref


class CarePackage(models.Model):
    ref = models.CharField("package ref", max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="packages")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="packages")
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="packages", null=True, blank=True
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    planned_weekly_hours = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    hospital_discharge = models.BooleanField(null=True, blank=True)
    # packages.csv, optional (issue 15): every visit of the package is
    # time-critical; blank = no.
    time_critical = models.BooleanField(default=False, db_default=False)
    # packages.csv may name the request it answers (market-definitions.md); kept
    # as the sender's ref so packages and requests can arrive in either order.
    request_ref = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["ref"]
        indexes = [models.Index(fields=["provider", "start_date"])]

    def __str__(self) -> str:
        return self.ref


class PackageHours(models.Model):
    """The commissioned weekly hours of a package from a date: each packages.csv
    import that changes them adds a row, so past weeks keep the hours they had."""

    package = models.ForeignKey(CarePackage, on_delete=models.CASCADE, related_name="hours")
    effective_from = models.DateField()
    weekly_hours = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["package", "effective_from"]
        verbose_name_plural = "package hours"
        constraints = [
            models.UniqueConstraint(
                fields=["package", "effective_from"], name="packagehours_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.package} from {self.effective_from}: {self.weekly_hours} h"


class LotDistrict(models.Model):
    """The council's map of postcode districts to locality lots: a request for
    care with no lot of its own is counted in the lot of its person's district."""

    postcode_district = models.CharField(max_length=8, unique=True)
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="districts")

    class Meta:
        ordering = ["postcode_district"]

    def __str__(self) -> str:
        return f"{self.postcode_district} -> {self.lot.name}"


class RequestSource(models.TextChoices):
    HOSPITAL = "hospital", "Hospital discharge"
    COMMUNITY = "community", "Community"
    REABLEMENT = "reablement", "Reablement"
    OTHER = "other", "Other"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    PLACED = "placed", "Placed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CareRequest(models.Model):
    """A request for care placed with the market (brokerage): requests.csv of
    shared/specs/market-definitions.md. Waits are read from its three instants."""

    ref = models.CharField("request ref", max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_requests")
    requested_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=RequestSource.choices)
    # As given in the file, or found from the person's postcode district; the
    # file's own lot is kept apart so a changed district map re-places the rest.
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="care_requests", null=True, blank=True
    )
    weekly_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=16, choices=RequestStatus.choices)
    placed_at = models.DateTimeField(null=True, blank=True)
    package = models.ForeignKey(
        CarePackage,
        on_delete=models.SET_NULL,
        related_name="care_requests",
        null=True,
        blank=True,
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "ref"]
        indexes = [
            models.Index(fields=["requested_at"]),
            models.Index(fields=["source", "requested_at"]),
        ]

    def __str__(self) -> str:
        return self.ref


class CapacityDeclaration(models.Model):
    """Spare hours a week a provider says it can take on in a lot, as of a date.
    Declarations are kept: the newest per provider and lot is the current one."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="capacity_declarations"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="capacity_declarations")
    declared_on = models.DateField()
    spare_weekly_hours = models.DecimalField(max_digits=7, decimal_places=2)
    declared_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "lot", "declared_on"], name="capacity_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.ref} {self.lot.name} {self.declared_on}"
