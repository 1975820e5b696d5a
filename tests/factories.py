"""Factories for test data: every test builds what it needs, nothing shared."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group, User

from contracts.models import CarePackage, Contract, Framework, Lot, Person
from providers.models import Provider, ProviderUser
from reviews.models import PackageReview
from visits.models import CareWorker, Visit, VisitCarer


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("ref",)

    ref = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Provider {n} Home Care")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("name",)

    name = "Care and Wellbeing 2024-2031"


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot
        django_get_or_create = ("framework", "name")

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Lot {n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    ref = factory.Sequence(lambda n: f"CT{n:04d}")
    provider = factory.SubFactory(ProviderFactory)
    lot = factory.SubFactory(LotFactory)
    start_date = dt.date(2024, 4, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    ref = factory.Sequence(lambda n: f"R{n:05d}")
    lives_alone = False
    lacks_capacity = False


class CarePackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePackage

    ref = factory.Sequence(lambda n: f"K{n:05d}")
    person = factory.SubFactory(PersonFactory)
    provider = factory.SubFactory(ProviderFactory)
    start_date = dt.date(2026, 1, 1)


class CareWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareWorker

    provider = factory.SubFactory(ProviderFactory)
    ref = factory.Sequence(lambda n: f"CW{n:04d}")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    package = factory.SubFactory(CarePackageFactory)
    provider = factory.SelfAttribute("package.provider")
    person = factory.SelfAttribute("package.person")
    visit_id = factory.Sequence(lambda n: f"V{n:07d}")
    planned_start = dt.datetime(2026, 10, 5, 7, 0, tzinfo=dt.UTC)
    planned_end = factory.LazyAttribute(lambda o: o.planned_start + dt.timedelta(minutes=30))
    planned_date = factory.LazyAttribute(lambda o: o.planned_start.date())
    actual_start = factory.LazyAttribute(lambda o: o.planned_start)
    actual_end = factory.LazyAttribute(lambda o: o.planned_end)
    status = "completed"
    ecm_verified = True
    carer_count = 1


class VisitCarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitCarer

    visit = factory.SubFactory(VisitFactory)
    care_worker = factory.SubFactory(
        CareWorkerFactory, provider=factory.SelfAttribute("..visit.provider")
    )
    actual_start = factory.SelfAttribute("visit.actual_start")
    actual_end = factory.SelfAttribute("visit.actual_end")
    verification = "ecm"


class PackageReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageReview

    ref = factory.Sequence(lambda n: f"RV{n:05d}")
    package = factory.SubFactory(CarePackageFactory)
    review_date = dt.date(2026, 2, 12)
    review_type = "six_week"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def provider_user(provider: Provider, **kwargs) -> User:
    user = UserFactory(role="Provider user", **kwargs)
    ProviderUser.objects.create(user=user, provider=provider)
    return user
