from django.conf import settings
from django.db import models


class CqcRating(models.TextChoices):
    OUTSTANDING = "Outstanding", "Outstanding"
    GOOD = "Good", "Good"
    REQUIRES_IMPROVEMENT = "Requires improvement", "Requires improvement"
    INADEQUATE = "Inadequate", "Inadequate"


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    EXITED = "exited", "Exited"


class Provider(models.Model):
    ref = models.CharField("council ref", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    cqc_provider_id = models.CharField("CQC provider ID", max_length=32, blank=True)
    cqc_location_id = models.CharField("CQC location ID", max_length=32, blank=True)
    cqc_rating = models.CharField(
        "CQC rating", max_length=32, choices=CqcRating.choices, blank=True
    )
    cqc_rating_date = models.DateField("CQC rating date", null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ref})"


class ProviderUser(models.Model):
    """Ties a login to the one provider whose data it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_membership"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} at {self.provider.ref}"


CQC_DOMAINS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
# Worst last: a move right along this list is a downgrade.
CQC_ORDER = ("Outstanding", "Good", "Requires improvement", "Inadequate")


class CqcImport(models.Model):
    """One import of CQC's "latest ratings" locations file."""

    imported_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0)
    matched_rows = models.PositiveIntegerField(default=0)
    unknown_location_rows = models.PositiveIntegerField(default=0)
    new_publications = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"CQC ratings import {self.pk}"


class CqcLocationRating(models.Model):
    """One rating of one key question (or Overall) of a location, in one CQC
    publication. Kept for ever: a later publication adds rows, never overwrites."""

    location_id = models.CharField("CQC location ID", max_length=32)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="cqc_ratings")
    publication_date = models.DateField()
    domain = models.CharField(max_length=16)
    rating = models.CharField(max_length=64)
    report_type = models.CharField(max_length=64, blank=True)
    inherited = models.BooleanField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    location_name = models.CharField(max_length=300, blank=True)
    cqc_import = models.ForeignKey(
        CqcImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings"
    )

    class Meta:
        ordering = ["location_id", "-publication_date", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["location_id", "publication_date", "domain"],
                name="cqc_rating_one_per_publication_domain",
            )
        ]
        indexes = [models.Index(fields=["provider", "publication_date"])]

    def __str__(self) -> str:
        return f"{self.location_id} {self.publication_date} {self.domain}: {self.rating}"
