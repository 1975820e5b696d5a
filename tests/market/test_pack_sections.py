"""The market oversight sections of the monthly packs, read from the PDFs."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from common.months import Month
from contracts.models import Lot
from homecare.market.services import record_risk
from homecare.packs.builder import render_market_pack, render_provider_pack
from providers.models import Provider
from tests.market.factories import CapacityFactory
from tests.market.market_files import load_market

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes, tmp_path) -> str:
    (tmp_path / "pack.pdf").write_bytes(pdf)  # kept to look at
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_market_and_provider_packs_carry_the_market_oversight(tmp_path, commissioner):
    load_market(tmp_path)
    p01, p02 = Provider.objects.get(ref="P01"), Provider.objects.get(ref="P02")
    central = Lot.objects.get(name="Lot 1 - Central")
    CapacityFactory(provider=p01, lot=central, spare_weekly_hours=12)
    record_risk(
        provider=p02,
        status="enhanced",
        reasons="Missed visits",
        owner=commissioner,
        next_review=dt.date(2027, 1, 4),
        by=commissioner,
    )
    october = Month.parse("2026-10")
    market = text_of(render_market_pack(october).pdf, tmp_path)
    assert "Market oversight" in market
    assert "Herfindahl-Hirschman index 10,000" in market
    assert "Hospital discharges started within 48 hours" in market
    assert "Enhanced monitoring" in market
    provider = text_of(render_provider_pack(p02, october).pdf, tmp_path)
    assert "Market position and risk" in provider
    assert "If it exited" in provider
    # K3 (10 hours a week in Lot 1 - Central) beside P01's 12 spare hours there.
    assert "Lot 1 - Central" in provider and "12" in provider
