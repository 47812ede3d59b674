"""factory_boy factories for the models tests need."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from shudarga.organizations.models import Membership, Organization
from shudarga.plans.models import Criterion, Goal, Measure, Plan, Signature


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Байгууллага {n}")
    code = factory.Sequence(lambda n: f"ORG{n}")

    @factory.post_generation
    def fix_path(obj: Organization, create: bool, extracted: object, **kwargs: object) -> None:
        # The service keeps the path; factories must too.
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        obj.save(update_fields=["path"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "coordinator"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organization = factory.SubFactory(OrganizationFactory)
    year = 2024
    title = factory.LazyAttribute(
        lambda o: f"{o.year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
    )
    place = "Улаанбаатар хот"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    position = factory.LazyAttribute(lambda o: o.number)
    text = factory.Sequence(lambda n: f"Зорилго {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    goal = factory.SubFactory(GoalFactory)
    plan = factory.LazyAttribute(lambda o: o.goal.plan)
    code = factory.Sequence(lambda n: f"9.{n + 1}")
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Арга хэмжээ {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    measure = factory.SubFactory(MeasureFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Шалгуур {n}")


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    plan = factory.SubFactory(PlanFactory)
    label = "ХЯНАСАН"
    title = "ДАРГА"
    name = "Б.БОЛД"
    position = 1
