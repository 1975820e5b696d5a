"""The RAG limits form: the red limit must lie on the worse side of the green one."""

from __future__ import annotations

from decimal import Decimal

from homecare.dashboards.forms import RagThresholdForm
from homecare.dashboards.models import RagThreshold


def form_for(measure: str, green: str, red: str) -> RagThresholdForm:
    row = RagThreshold(measure=measure, green_limit=Decimal(0), red_limit=Decimal(0))
    return RagThresholdForm({"green_limit": green, "red_limit": red}, instance=row)


def test_red_limit_above_green_when_lower_is_better() -> None:
    assert form_for("late_visit_rate", "5", "10").is_valid()
    assert form_for("late_visit_rate", "5", "5").is_valid()
    form = form_for("late_visit_rate", "10", "5")
    assert not form.is_valid()
    assert form.errors["red_limit"] == [
        "Red limit must be the same as or more than the green limit"
    ]


def test_red_limit_below_green_when_higher_is_better() -> None:
    assert form_for("ecm_verified_rate", "95", "85").is_valid()
    form = form_for("ecm_verified_rate", "85", "95")
    assert not form.is_valid()
    assert form.errors["red_limit"] == [
        "Red limit must be the same as or less than the green limit"
    ]


def test_negative_limits_are_refused_once() -> None:
    form = form_for("late_visit_rate", "-1", "5")
    assert not form.is_valid()
    assert form.errors == {"green_limit": ["Green limit must be 0 or more"]}
