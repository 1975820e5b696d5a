"""The improvement tracker in the demo (issue 15): a scrutiny review's
recommendations, graded at each quarter's progress update, one of them slipped
so the market page shows it."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User

from homecare.improvement import services
from homecare.improvement.quarters import Quarter

RECOMMENDATIONS = [
    (
        "Every registered care at home provider is listed in the council's information "
        "directory, showing whether it holds a framework contract.",
        "Check each provider's entry after the directory is relaunched.",
        "Provider entries current and correct after the relaunch.",
        [1, 1],
    ),
    (
        "Providers tell people in good time when their carer or visit time changes.",
        "Put the duty to share rotas a week ahead in the new contract specification.",
        "Rotas shared weekly; complaints about unannounced changes fall.",
        [2, 3],
    ),
    (
        "The council and providers meet regularly to share learning and concerns.",
        "Hold a quarterly provider forum and a yearly engagement event.",
        "Most framework providers attend at least two forums a year.",
        [2, 2],
    ),
]


def seed_improvement(last_month: tuple[int, int]) -> None:
    user = User.objects.filter(username="commissioner").first()
    if user is None:
        return
    # The plan was agreed a year before the demo's last month; updates at the
    # end of the last two quarters before it.
    end = date(*last_month, 1)
    latest = Quarter.of(end)
    quarters = [_previous(latest), latest]
    plan = services.create_plan(
        user,
        "Scrutiny review of care at home",
        description="The select committee's recommendations and the agreed actions.",
        agreed_on=end - timedelta(days=365),
        lead_officer="Head of Commissioning",
    )
    for number, (recommendation, action, measure, grades) in enumerate(RECOMMENDATIONS, 1):
        item = services.add_item(
            plan,
            user,
            number=number,
            recommendation=recommendation,
            agreed_action=action,
            success_measure=measure,
            responsibility="Commissioning lead",
            due_date=end - timedelta(days=60),
        )
        for quarter, grade in zip(quarters, grades, strict=True):
            services.add_update(
                item,
                user,
                as_of=min(quarter.last, end),
                progress="Progress reported to the select committee.",
                grade=grade,
                impact="Feedback from providers and people using the service.",
            )


def _previous(quarter: Quarter) -> Quarter:
    if quarter.number == 1:
        return Quarter(quarter.year - 1, 4)
    return Quarter(quarter.year, quarter.number - 1)
