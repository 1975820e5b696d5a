"""Factories of the market oversight's data."""

from __future__ import annotations

import datetime as dt

import factory

from contracts.models import CapacityDeclaration, CareRequest
from tests.factories import LotFactory, PersonFactory, ProviderFactory


class CareRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareRequest

    ref = factory.Sequence(lambda n: f"Q{n:05d}")
    person = factory.SubFactory(PersonFactory)
    requested_at = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    source = "community"
    status = "open"


class CapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityDeclaration

    provider = factory.SubFactory(ProviderFactory)
    lot = factory.SubFactory(LotFactory)
    declared_on = dt.date(2026, 10, 1)
    spare_weekly_hours = 20
