"""Demo petitions and a demo survey, so a first look shows a living register: some answered
on time, one late, one transferred, one overdue, two due within days, one extended.

Called by the demo loader (`load_demo_data`) with the demo organization and its officer;
dates are relative to `today`, so the overdue and due-soon lists always have rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shudarga.organizations.models import Organization
from shudarga.petitions import services
from shudarga.petitions.models import Petition

# (days before today received, channel, kind, name, register no, subject, what happened)
DEMO_PETITIONS = [
    (80, "written", "petition", "Б.Сарнай", "УБ85031512", "Газар эзэмших эрхийн сунгалт",
     "answered:20"),
    (70, "email", "complaint", "Д.Мөнхзул", "УБ90112233", "Үйлчилгээний удаашрал", "answered:40"),
    (60, "1111", "request", "Г.Тэмүүлэн", "ДА01234567", "Лавлагаа авах хүсэлт", "transferred:5"),
    (45, "website", "complaint", "С.Оюун-Эрдэнэ", "ЧЕ88120304", "Хог тээврийн хуваарь", "open"),
    (40, "in_person", "petition", "Ж.Батцэцэг", "УБ77050608", "Тэтгэмжийн материал", "closed:10"),
    (27, "phone", "request", "Н.Хулан", "УЕ95010101", "Гэрчилгээний хуулбар", "open"),
    (25, "written", "complaint", "Ц.Билгүүн", "УБ99121212", "Зөвшөөрлийн хугацаа хэтэрсэн", "open"),
    (29, "website", "petition", "О.Энхжин", "ТЗ92030405", "Орон сууцны дараалал", "extended:20"),
    (12, "website", "proposal", "Э.Төгөлдөр", "УБ86060606", "Цахим үйлчилгээг нэмэх санал", "open"),
    (5, "email", "petition", "Л.Ану", "БН93070707", "Хөдөлмөрийн гэрээний асуудал", "open"),
]  # fmt: skip


def load_demo_petitions(
    *, organization: Organization, officer: Any, today: dt.date
) -> dict[str, int]:
    """Register the demo petitions of `organization`, assigned to `officer`, and a demo
    survey with a few answers. Returns counts by what happened to them."""
    counts: dict[str, int] = {}
    for days_ago, channel, kind, name, register_no, subject, story in DEMO_PETITIONS:
        received = today - dt.timedelta(days=days_ago)
        petition = services.petition_register(
            organization=organization,
            received_on=received,
            channel=channel,
            kind=kind,
            petitioner_name=name,
            petitioner_register_no=register_no,
            petitioner_contact="9900" + register_no[-4:],
            subject=subject,
            assigned_to=officer,
        ).petition
        action, _sep, arg = story.partition(":")
        on = received + dt.timedelta(days=int(arg or 0))
        _apply(petition, action, on, officer)
        counts[action] = counts.get(action, 0) + 1
    _demo_survey(organization)
    return counts


def _apply(petition: Petition, action: str, on: dt.date, officer: Any) -> None:
    if action == "answered":
        services.petition_answer(
            petition=petition, answer_text="Хууль журмын дагуу шийдвэрлэв.", answered_on=on,
            actor=officer,
        )  # fmt: skip
    elif action == "transferred":
        services.petition_transfer(
            petition=petition, transferred_to="Нийслэлийн Өмчийн харилцааны газар",
            transferred_on=on, actor=officer,
        )  # fmt: skip
    elif action == "closed":
        services.petition_close(
            petition=petition, closed_on=on, note="Өргөдөл гаргагч буцаан авсан.", actor=officer
        )
    elif action == "extended":
        services.petition_extend(
            petition=petition, days=30, reason="Бусад байгууллагаас мэдээлэл авах шаардлагатай.",
            decided_by="Газрын дарга", petitioner_informed=True, actor=officer, on=on,
        )  # fmt: skip


def _demo_survey(organization: Organization) -> None:
    survey = services.survey_create(
        organization=organization,
        title="Үйлчилгээний сэтгэл ханамжийн судалгаа",
        intro="Манай байгууллагын үйлчилгээг үнэлж, хүнд суртал, авлигын эрсдэлийн талаар "
        "санал өгнө үү.",
        actor=None,
    )
    scale = services.survey_question_add(
        survey=survey, kind="likert", text="Үйлчилгээнд хэр сэтгэл хангалуун байна вэ?", actor=None
    )
    choice = services.survey_question_add(
        survey=survey,
        kind="choice",
        text="Үйлчилгээ авахдаа хүнд суртал, авлигын эрсдэл тулгарсан уу?",
        choices=["Тийм", "Үгүй", "Хэлж мэдэхгүй"],
        actor=None,
    )
    text = services.survey_question_add(
        survey=survey, kind="text", text="Таны санал", required=False, actor=None
    )
    services.survey_open(survey=survey, actor=None)
    answers = [
        (5, "Үгүй", ""),
        (4, "Үгүй", "Цахимаар өгөх боломж"),
        (2, "Тийм", ""),
        (4, "Үгүй", ""),
    ]
    for stars, seen, words in answers:
        services.survey_submit(
            survey=survey, answers={scale.pk: stars, choice.pk: seen, text.pk: words}
        )
