"""Monthly KPI results and the thresholds commissioners set for them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from common.concurrency import Versioned
from contracts.models import Contract, Lot
from providers.models import Provider


class KpiThresholds(Versioned):
    """Overrides of the default KPI thresholds for one lot or one contract.
    A blank field inherits: contract > lot > default (homecare/kpis/thresholds.py)."""

    lot = models.OneToOneField(
        Lot, on_delete=models.CASCADE, null=True, blank=True, related_name="kpi_thresholds"
    )
    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="kpi_thresholds"
    )
    late_after_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="A visit starting more than this late is late."
    )
    missed_after_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="A visit starting more than this late counts as missed."
    )
    person_late_share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="People late more than this share of their visits are reported (0.10 = 10%).",
    )
    short_visit_ratio = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="A visit lasting less than this share of its planned time is short.",
    )
    min_carer_limit = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    visits_per_carer = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    review_due_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days from a package's start to its first review."
    )
    # Care standards (issue 15).
    time_critical_window_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="A time-critical visit starting more than this early or late is outside "
        "its window.",
    )
    known_carer_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="A care worker seen by the person within this many days before is known to them.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "KPI thresholds"
        verbose_name_plural = "KPI thresholds"
        constraints = [
            models.CheckConstraint(
                condition=Q(lot__isnull=True, contract__isnull=False)
                | Q(lot__isnull=False, contract__isnull=True),
                name="kpithresholds_lot_or_contract",
            )
        ]

    def __str__(self) -> str:
        return f"KPI thresholds for {self.contract or self.lot}"

    def clean(self) -> None:
        if (self.lot_id is None) == (self.contract_id is None):
            raise ValidationError("Set thresholds for either a lot or a contract.")


class KpiScope(models.TextChoices):
    PROVIDER = "provider", "Provider"
    LOT = "lot", "Lot"
    MARKET = "market", "Whole market"


class MonthlyKpi(models.Model):
    """One scope's figures for one month, as the export shows them, with the
    people and packages behind the counts so a dashboard need not recompute."""

    scope = models.CharField(max_length=16, choices=KpiScope.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="monthly_kpis"
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, null=True, blank=True, related_name="monthly_kpis"
    )
    month = models.DateField(help_text="First day of the month.")
    # Keyed exactly as the export of kpi-definitions.md (without provider_ref).
    figures = models.JSONField(default=dict)
    # Lists behind the figures: people late, people over the carer limit,
    # packages due a review and overdue reviews (see homecare/kpis/engine.py).
    details = models.JSONField(default=dict)
    thresholds = models.JSONField(default=dict, help_text="The thresholds the figures used.")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "scope"]
        verbose_name = "monthly KPIs"
        verbose_name_plural = "monthly KPIs"
        indexes = [models.Index(fields=["month", "scope"])]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month"],
                condition=Q(scope="provider"),
                name="monthlykpi_unique_provider_month",
            ),
            models.UniqueConstraint(
                fields=["lot", "month"],
                condition=Q(scope="lot"),
                name="monthlykpi_unique_lot_month",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(scope="market"),
                name="monthlykpi_unique_market_month",
            ),
            models.CheckConstraint(
                condition=Q(scope="provider", provider__isnull=False, lot__isnull=True)
                | Q(scope="lot", lot__isnull=False, provider__isnull=True)
                | Q(scope="market", lot__isnull=True, provider__isnull=True),
                name="monthlykpi_scope_matches",
            ),
        ]

    def __str__(self) -> str:
        who = self.provider or self.lot or "market"
        return f"KPIs {self.month:%Y-%m} {who}"
