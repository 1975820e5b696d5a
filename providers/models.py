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
