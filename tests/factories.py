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


# --- Registers -------------------------------------------------------------------------
# Rows are created through `register_row_save`, as the app does, so their search and sort
# keys are filled and an audit entry is written. Pass `measures=[...]` to link measures.


def _day(year: int, month: int, n: int) -> str:
    """A distinct date per sequence number (as text: the service's full_clean parses it)."""
    return f"{year}-{(month - 1 + n // 28) % 12 + 1:02d}-{n % 28 + 1:02d}"


class _RegisterRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    organization = factory.SubFactory(OrganizationFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from shudarga.registers.registry import REGISTERS
        from shudarga.registers.services import register_row_save

        spec = next(s for s in REGISTERS.values() if s.model is model_class)
        organization = kwargs.pop("organization")
        measures = kwargs.pop("measures", None)
        links = {"attendees": kwargs.pop("attendees")} if "attendees" in kwargs else None
        return register_row_save(
            spec=spec,
            organization=organization,
            row=model_class(*args, **kwargs),
            measures=measures,
            links=links,
            actor=None,
        )


class PublicationFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.Publication"

    date = factory.Sequence(lambda n: _day(2024, 1, n))
    title = factory.Sequence(lambda n: f"Шударга ёсны нийтлэл {n}")
    channels = factory.LazyFunction(lambda: ["facebook"])
    material = "infographic"
    produced_by = "own"
    copies = factory.Sequence(lambda n: 100 + n)
    views = 2500
    link = factory.Sequence(lambda n: f"https://example.mn/news/{n}")
    shows_hotline = True


class EventFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.Event"

    date = factory.Sequence(lambda n: _day(2024, 2, n))
    kind = "discussion"
    title = factory.Sequence(lambda n: f"Салбарын хэлэлцүүлэг {n}")
    participants = 45
    outcome = "Санал хураав."
    follow_up = ""


class StaffMemberFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.StaffMember"

    name = factory.Sequence(lambda n: f"Б.Болд {n}")
    position = "Мэргэжилтэн"
    unit = "Хүний нөөцийн хэлтэс"
    appointed_on = factory.Sequence(lambda n: _day(2023, 1, n))
    left_on = None


class TrainingFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.Training"

    date = factory.Sequence(lambda n: _day(2024, 3, n))
    topic = factory.Sequence(lambda n: f"Ёс зүйн сургалт {n}")
    kind = "anti_corruption"
    organizer = "АТГ"


class ContractFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.Contract"

    number = factory.Sequence(lambda n: f"ГЭ-{n:04d}")
    counterparty = factory.Sequence(lambda n: f"Барилга ХХК {n}")
    date = factory.Sequence(lambda n: _day(2024, 4, n))
    value = "1500000.50"
    clause_anti_corruption = True
    clause_duty_to_report = True
    clause_damages = False


class BoardUpdateFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.BoardUpdate"

    date = factory.Sequence(lambda n: _day(2024, 5, n))
    content = factory.Sequence(lambda n: f"110 самбарт шинэ мэдээлэл байрлуулав {n}")


class RiskFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.Risk"

    date = factory.Sequence(lambda n: _day(2024, 1, n))
    process = factory.Sequence(lambda n: f"Худалдан авалт {n}")
    risk = "Ашиг сонирхлын зөрчил"
    likelihood = 3
    impact = 4
    owner = "Санхүүгийн алба"
    mitigation = "Хөндлөнгийн хяналт"
    status = "open"


class DocumentReviewFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.DocumentReview"

    date = factory.Sequence(lambda n: _day(2024, 6, n))
    kind = "internal_rule"
    document = factory.Sequence(lambda n: f"Дотоод журам {n}")
    legal_basis = "Авлигын эсрэг хууль"
    outcome = "amended"
    reviewer = "Хуулийн хэлтэс"


class AuditFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.Audit"

    date = factory.Sequence(lambda n: _day(2024, 7, n))
    kind = "internal"
    period_covered = factory.Sequence(lambda n: f"2023 он {n}")
    findings = "Зөрчилгүй"
    follow_up = ""


class OversightItemFactory(_RegisterRowFactory):
    class Meta:
        model = "registers.OversightItem"

    date = factory.Sequence(lambda n: _day(2024, 8, n))
    kind = "recommendation"
    source = "АТГ"
    content = factory.Sequence(lambda n: f"Зөвлөмж {n}: журмыг шинэчлэх")
    action_taken = "Журмыг шинэчилсэн"
    done_on = "2024-12-01"


REGISTER_FACTORIES = {
    "publications": PublicationFactory,
    "events": EventFactory,
    "staff": StaffMemberFactory,
    "trainings": TrainingFactory,
    "contracts": ContractFactory,
    "board-updates": BoardUpdateFactory,
    "risks": RiskFactory,
    "document-reviews": DocumentReviewFactory,
    "audits": AuditFactory,
    "oversight": OversightItemFactory,
}


# --- Evidence --------------------------------------------------------------------------
# Rows made directly, for lists and counts. They have no stored file: use the evidence
# services (tests/evidence) when the bytes matter.


def _evidence_search_text(o: object) -> str:
    from shudarga.core.text import search_key  # as the services fill it

    return search_key(o.title, o.original_name, o.link)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A link by default; `EvidenceFactory(as_file=True)` is a PDF row with a digest."""

    class Meta:
        model = "evidence.Evidence"

    measure = factory.SubFactory(MeasureFactory)
    organization = factory.LazyAttribute(lambda o: o.measure.plan.organization)
    kind = "link"
    link = factory.Sequence(lambda n: f"https://example.mn/evidence/{n}")
    title = factory.Sequence(lambda n: f"Нотломж {n}")
    original_name = ""
    search_text = factory.LazyAttribute(lambda o: _evidence_search_text(o))

    class Params:
        as_file = factory.Trait(
            kind="file",
            link="",
            file=factory.Sequence(lambda n: f"evidence/test/{n}.pdf"),
            original_name=factory.Sequence(lambda n: f"тайлан-{n}.pdf"),
            content_type="application/pdf",
            size=factory.Sequence(lambda n: 1000 + n),
            sha256=factory.Sequence(lambda n: f"{n:064x}"),
        )


# --- Petitions and surveys -------------------------------------------------------------
# Petitions are registered through `petition_register`, as the app does, so they get their
# number, deadline and audit entry. The tracking code is kept on `petition.tracking_code`.


def _local_today():
    from django.utils import timezone

    return timezone.localdate()


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Petition"

    organization = factory.SubFactory(OrganizationFactory)
    received_on = factory.LazyFunction(_local_today)
    channel = "written"
    kind = "petition"
    petitioner_name = factory.Sequence(lambda n: f"Д.Иргэнбаяр{n}")
    petitioner_register_no = factory.Sequence(lambda n: f"УБ9001{n:04d}")
    petitioner_address = "Баянзүрх дүүрэг, 3-р хороо"
    petitioner_contact = factory.Sequence(lambda n: f"9911{n:04d}")
    subject = factory.Sequence(lambda n: f"Газрын асуудлаар гомдол {n}")
    category = "Газар"
    body = "Миний өргөдлийг шийдвэрлэж өгнө үү."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from shudarga.petitions.services import petition_register

        registered = petition_register(actor=kwargs.pop("actor", None), **kwargs)
        registered.petition.tracking_code = registered.tracking_code
        return registered.petition


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Survey"

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Үйлчилгээний сэтгэл ханамжийн судалгаа {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from shudarga.petitions.services import survey_create

        return survey_create(actor=None, **kwargs)


# --- Reports ---------------------------------------------------------------------------
# Reports are created through `report_create`, as the app does, so every measure gets an
# item with its drafted text, and the creation is in the report's history.


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.Report"

    plan = factory.SubFactory(PlanFactory)
    period = "year"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from shudarga.reports.services import report_create

        return report_create(actor=kwargs.pop("actor", None), **kwargs)
