"""The provider and market packs carry the month's payment totals: paid hours
against delivered hours, the amount and the exceptions."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from common.months import Month
from homecare.packs import services
from homecare.packs.models import Pack, PackKind
from tests.payments.scenario import council, visits

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text_of(pack: Pack) -> str:
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_packs_show_paid_against_delivered_hours():
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,
        C2,P02,F,Lot 2,2024-04-01,,30.00,verified,,
        """,
        "K1,R1,P01,C1,2026-01-01,,7\nK2,R2,P02,C2,2026-01-01,,7",
    )
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T11:00:00,2026-10-05T09:00:00,2026-10-05T10:30:00,completed,ecm,
        V2,K2,W2,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,ecm,
        V3,K2,W2,2026-10-06T09:00:00,2026-10-06T10:00:00,2026-10-06T09:00:00,2026-10-06T10:00:00,completed,manual,
        """
    )
    call_command("compute_kpis", month="2026-10", stdout=io.StringIO())
    services.build_month_packs(Month.parse("2026-10"))
    alpha = text_of(Pack.objects.get(kind=PackKind.PROVIDER, provider__ref="P01"))
    # Planned basis: 2 hours paid for 1 1/2 delivered, 40.00.
    assert "Alpha Home Care 2.00 1.50 133.3% £40.00 0" in alpha
    market = text_of(Pack.objects.get(kind=PackKind.MARKET))
    # Verified basis: the manual visit is not paid, and is an exception.
    assert "Beta Care 1.00 2.00 50.0% £30.00 1" in market
    assert "Total 3.00 3.50 85.7% £70.00 1" in market
