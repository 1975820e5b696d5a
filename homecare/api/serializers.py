"""What the API reads and writes, and so what its OpenAPI schema says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.models import Lot
from homecare.returns.forms import CapacityForm, Section, SectionForm
from homecare.returns.models import ProviderReturn
from homecare.returns.services import ANSWER_FIELDS
from visits.models import ImportRecord


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        allow_null=True, help_text="The file's line; null for the whole file"
    )
    column = serializers.CharField(allow_blank=True)
    problem = serializers.CharField()


class ImportSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="ref", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()
    errors_shown = serializers.SerializerMethodField()

    class Meta:
        model = ImportRecord
        fields = [
            "id",
            "kind",
            "file_name",
            "provider",
            "outcome",
            "created_at",
            "started_at",
            "finished_at",
            "rows",
            "created_count",
            "updated_count",
            "months_touched",
            "summary",
            "error_count",
            "errors_shown",
            "errors",
            "url",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, record: ImportRecord) -> str:
        return self.context["request"].build_absolute_uri(f"/api/v1/imports/{record.pk}/")

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, record: ImportRecord) -> str:
        return self.context["request"].build_absolute_uri(f"/imports/{record.pk}/")

    def _rows(self, record: ImportRecord) -> list[dict[str, Any]]:
        from homecare.imports.views import report_rows

        return [
            {
                "line": int(r["line"]) if r["line"] else None,
                "column": r["column"],
                "problem": r["reason"],
            }
            for r in report_rows(record.error_report)
        ]

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, record: ImportRecord) -> list[dict[str, Any]]:
        return self._rows(record)

    @extend_schema_field(serializers.IntegerField())
    def get_errors_shown(self, record: ImportRecord) -> int:
        return len(self._rows(record))


class VisitsFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The month's visits CSV (data-exchange.md)")


class CapacitySerializer(serializers.Serializer):
    lot_id = serializers.IntegerField()
    lot = serializers.CharField(read_only=True)
    spare_hours_per_week = serializers.DecimalField(
        max_digits=8, decimal_places=1, min_value=Decimal(0), allow_null=True
    )


class ReturnSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.ref", read_only=True)
    month = serializers.SerializerMethodField()
    capacity = serializers.SerializerMethodField()

    class Meta:
        model = ProviderReturn
        fields = [
            "id",
            "provider",
            "month",
            "status",
            *ANSWER_FIELDS,
            "capacity",
            "first_submitted_at",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_month(self, ret: ProviderReturn) -> str:
        return f"{ret.month:%Y-%m}"

    @extend_schema_field(CapacitySerializer(many=True))
    def get_capacity(self, ret: ProviderReturn) -> list[dict[str, Any]]:
        return [
            {
                "lot_id": c.lot_id,
                "lot": c.lot.name,
                "spare_hours_per_week": str(c.spare_hours_per_week),
            }
            for c in ret.capacity.all()
        ]


class ReturnWriteSerializer(serializers.Serializer):
    """A month's answers: those sent are saved (null clears one), those left
    out are kept. With submit true the return is then submitted, which needs
    every answer. The rules are the question pages' own (homecare.returns.forms)."""

    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="The month, as 2026-10")
    complaints_received = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    complaints_upheld = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    compliments = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    safeguarding_concerns = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    incidents = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    care_workers_headcount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    care_workers_fte = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    starters = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    leavers = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    vacancies = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    agency_hours_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
        help_text="A percentage: 5 for 5%",
    )
    lowest_hourly_pay = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    median_hourly_pay = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    zero_hours_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
        help_text="A percentage: 20 for 20%",
    )
    travel_time_paid = serializers.BooleanField(required=False, allow_null=True)
    care_certificate_completions = serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=5000
    )
    capacity = CapacitySerializer(many=True, required=False)
    submit = serializers.BooleanField(default=False)

    def check_with_forms(
        self, instance: ProviderReturn, lots: list[Lot]
    ) -> tuple[dict[str, Any], dict[int, Decimal | None] | None]:
        """Run the sent answers through the question pages' forms: the same
        rules, the same messages. Raises ValidationError."""
        data = self.validated_data
        sent = [name for name in ANSWER_FIELDS if name in data]
        form_data: dict[str, Any] = {}
        for name in sent:
            value = data[name]
            if name == "travel_time_paid":
                form_data[name] = "" if value is None else ("yes" if value else "no")
            else:
                form_data[name] = "" if value is None else str(value)
        form = SectionForm(form_data, instance=instance, section=Section("api", "", tuple(sent)))
        if not form.is_valid():
            raise serializers.ValidationError({k: list(v) for k, v in form.errors.items()})
        answers = form.answers()
        capacity = None
        if "capacity" in data:
            known = {lot.pk for lot in lots}
            unknown = [c["lot_id"] for c in data["capacity"] if c["lot_id"] not in known]
            if unknown:
                raise serializers.ValidationError(
                    {
                        "capacity": [
                            f"Lot {lot_id} is not a lot the provider works in" for lot_id in unknown
                        ]
                    }
                )
            cap_form = CapacityForm(
                {
                    f"lot_{c['lot_id']}": ""
                    if c["spare_hours_per_week"] is None
                    else str(c["spare_hours_per_week"])
                    for c in data["capacity"]
                },
                lots=[lot for lot in lots if any(c["lot_id"] == lot.pk for c in data["capacity"])],
                current={},
            )
            if not cap_form.is_valid():
                raise serializers.ValidationError(
                    {"capacity": [e for v in cap_form.errors.values() for e in v]}
                )
            capacity = cap_form.capacity()
        return answers, capacity


class KpiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField(help_text="The provider's council ref")
    month = serializers.CharField(help_text="As 2026-10")
    figures = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Keyed as the KPI export (kpi-definitions.md)",
    )
    computed_at = serializers.DateTimeField()
