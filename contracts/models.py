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


class Contract(models.Model):
    ref = models.CharField("contract ref", max_length=64, unique=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="contracts")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    hourly_rate = models.DecimalField(
        "hourly rate (GBP)", max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["ref"]

    def __str__(self) -> str:
        return self.ref


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

    class Meta:
        ordering = ["ref"]
        indexes = [models.Index(fields=["provider", "start_date"])]

    def __str__(self) -> str:
        return self.ref
