from django.db import models

from contracts.models import CarePackage


class ReviewType(models.TextChoices):
    SIX_WEEK = "six_week", "Six-week review"
    ANNUAL = "annual", "Annual review"
    CHANGE_OF_NEED = "change_of_need", "Change of need"
    OTHER = "other", "Other"


class PackageReview(models.Model):
    """A review of a person's care package (not a quality assessment of a provider)."""

    ref = models.CharField("review ref", max_length=64, unique=True)
    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="reviews")
    review_date = models.DateField()
    review_type = models.CharField(max_length=16, choices=ReviewType.choices)

    class Meta:
        ordering = ["-review_date"]
        indexes = [models.Index(fields=["package", "review_date"])]

    def __str__(self) -> str:
        return self.ref
