"""The role × URL walk: every URL pattern of the app, as every role, against one table.

`TABLE` below says, for every URL name, what a GET and an (empty) POST need: an `Action` of
`organizations.roles` (any one of several), any member of the organization, a role that sees
subordinate organizations, any signed-in user, or anyone. A URL pattern missing from the
table fails the walk, so a new page cannot escape it.

The walk asks each URL as a coordinator, officer, reviewer, leader and auditor of the
organization, as a leader and an auditor of its parent body (they see it through the parent),
and as an outsider (a coordinator of another organization). What it expects:

- allowed, method accepted: GET answers 200 or 302; POST answers 200, 302 or 400 (the walk's
  POST carries an empty form, or the few fields the table names, so "this form is incomplete"
  is a fine answer; only the access check matters here);
- allowed, method not accepted (`refused(...)`): 405, once the access check has passed;
- not allowed: 403 for a member who may see the organization, 404 for an outsider.

Every request runs in a savepoint that is rolled back, so a POST that deletes or changes
something leaves the same data for the next one; the cookie jar is restored too (logout and
the language switch change it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import get_resolver, reverse

from shudarga.organizations.roles import (
    PARENT_EVALUATOR,
    PARENT_LEADER,
    ROLES_SHOWN_DESCENDANTS,
    Action,
    Role,
    role_allows,
)
from tests.test_access_walk import SKIP_PREFIXES, _kwargs, _walk
from tests.test_access_walk import victim as victim  # the access walk's objects, as a fixture

pytestmark = pytest.mark.django_db

ANYONE = "anyone"  # no sign-in needed
SIGNED_IN = "signed in"  # one's own pages: any signed-in user, whatever their organizations
MEMBER = Action.VIEW  # anyone who may see the organization (every role has VIEW)
SEES_DESCENDANTS = "sees descendants"  # leader or auditor: the parent body's views


@dataclass(frozen=True)
class Need:
    """What one method of one URL needs: any one of `any_of`. With `accepts=False` the view
    does not take this method: 405 for whoever passes the check, 403/404 for the others."""

    any_of: frozenset[str]
    accepts: bool = True


def need(*what: str) -> Need:
    return Need(frozenset(what))


def refused(*after: str) -> Need:
    return Need(frozenset(after), accepts=False)


@dataclass(frozen=True)
class Page:
    get: Need
    post: Need
    # POST bodies that need something else than the empty POST: label -> (data, need).
    posts: dict[str, tuple[dict[str, str], Need]] = field(default_factory=dict)
    # URL values this page needs instead of the walk's defaults.
    kwargs: dict[str, Any] = field(default_factory=dict)


def _same(what: str, **extra: Any) -> Page:
    """GET and POST need the same: a page with a form, or a read that ignores the method."""
    return Page(need(what), need(what), **extra)


READ = _same(MEMBER)
RECORDS = _same(Action.EDIT_RECORDS)

TABLE: dict[str, Page] = {
    # -- sign-in, language, the invited person's first password: no sign-in needed ----------
    "login": _same(ANYONE),  # signed-in users are sent on
    "logout": Page(refused(ANYONE), need(ANYONE)),
    "set_language": _same(ANYONE),
    "organizations:set_password": _same(ANYONE),  # the link's token is the key
    "healthz": Page(need(ANYONE), refused(ANYONE)),  # health checks answer GET only
    "readyz": Page(need(ANYONE), refused(ANYONE)),
    # -- one's own pages ---------------------------------------------------------------------
    "organizations:home": _same(SIGNED_IN),
    "dashboards:my_work": _same(SIGNED_IN),
    "dashboards:notifications": _same(SIGNED_IN),
    "notifications:count": Page(need(SIGNED_IN), refused(SIGNED_IN)),  # the top bar's badge
    "dashboards:feed": Page(refused(SIGNED_IN), need(SIGNED_IN)),
    "tokens:manage": _same(SIGNED_IN),  # a token acts with its owner's roles
    "accounts:password_change": _same(SIGNED_IN),
    "accounts:two_factor": _same(SIGNED_IN),
    "accounts:two_factor_verify": _same(SIGNED_IN),
    "accounts:two_factor_disable": Page(refused(SIGNED_IN), need(SIGNED_IN)),
    # -- history and seals: every member reads them; nothing there changes anything ---------
    "history:organization": READ,
    "history:export": READ,
    "history:plan": READ,
    "history:measure": READ,
    "history:register_row": READ,
    "history:evidence": READ,
    "history:report": READ,
    "history:petition": READ,
    "plans:seal": READ,
    "reports:seal": READ,
    # -- members -----------------------------------------------------------------------------
    "organizations:members": _same(Action.MANAGE_MEMBERS),
    "organizations:invite": _same(Action.MANAGE_MEMBERS),
    "organizations:member": _same(Action.MANAGE_MEMBERS),
    "organizations:remove_role": _same(Action.MANAGE_MEMBERS),
    # -- plans -------------------------------------------------------------------------------
    "plans:list": READ,
    "plans:detail": READ,
    "plans:export": _same(Action.EXPORT_PLAN, kwargs={"fmt": "json"}),
    "plans:import": _same(Action.IMPORT_PLAN),
    # A draft is its uploader's: each persona walks one it uploaded (see `world`).
    "plans:import_preview": _same(Action.IMPORT_PLAN),
    "plans:import_layout_forget": Page(refused(Action.IMPORT_PLAN), need(Action.IMPORT_PLAN)),
    "plans:import_confirm": Page(refused(Action.IMPORT_PLAN), need(Action.IMPORT_PLAN)),
    "plans:status": Page(
        refused(MEMBER),
        need(Action.APPROVE_PLAN, Action.PUBLISH_PLAN),
        posts={
            "approve": ({"transition": "approve"}, need(Action.APPROVE_PLAN)),
            "reopen": ({"transition": "reopen"}, need(Action.APPROVE_PLAN)),
            "publish": ({"transition": "publish"}, need(Action.PUBLISH_PLAN)),
            "unpublish": ({"transition": "unpublish"}, need(Action.PUBLISH_PLAN)),
        },
    ),
    "plans:delete": _same(Action.DELETE_PLAN),
    "plans:assign": _same(Action.IMPORT_PLAN),  # who does what is part of making the plan
    # A measure added to an approved plan is a decision: those who approve plans record it.
    "plans:amend": _same(Action.APPROVE_PLAN),
    "dashboards:rollover": _same(Action.IMPORT_PLAN),
    "dashboards:year_changes": READ,
    # -- criteria ----------------------------------------------------------------------------
    "criteria:progress": READ,
    "criteria:detail": Page(need(MEMBER), need(Action.EDIT_RULES)),
    "criteria:confirm_all": Page(refused(MEMBER), need(Action.EDIT_RULES)),
    # -- registers: reviewers, leaders and auditors read them, never change them -------------
    "registers:index": READ,
    "registers:list": READ,
    "registers:export": READ,
    "registers:create": RECORDS,
    "registers:edit": RECORDS,
    "registers:delete": RECORDS,
    "registers:import": RECORDS,
    # -- evidence ----------------------------------------------------------------------------
    "evidence:list": READ,
    "evidence:detail": READ,
    "evidence:download": Page(need(MEMBER), refused(MEMBER)),
    "evidence:inline": Page(need(MEMBER), refused(MEMBER)),
    "evidence:add": RECORDS,
    "evidence:replace": RECORDS,
    "evidence:delete": RECORDS,
    # -- petitions: those who handle them alone see petitioners' files -----------------------
    "petitions:list": READ,
    "petitions:detail": READ,  # personal data hidden from those who do not handle petitions
    "petitions:export": READ,
    "petitions:stats": READ,
    "petitions:stats_export": READ,
    # Submitting (or correcting) a period's figures: those who handle petitions.
    "petitions:stats_submit": Page(refused(Action.EDIT_RECORDS), need(Action.EDIT_RECORDS)),
    "petitions:create": RECORDS,
    "petitions:attachment": RECORDS,
    "petitions:assign": RECORDS,
    "petitions:extend": RECORDS,
    "petitions:answer": RECORDS,
    "petitions:transfer": RECORDS,
    "petitions:close": RECORDS,
    # -- satisfaction surveys ----------------------------------------------------------------
    "petitions:survey_list": Page(need(MEMBER), need(Action.MANAGE_SURVEYS)),
    "petitions:survey_detail": Page(need(MEMBER), need(Action.MANAGE_SURVEYS)),
    "petitions:survey_status": Page(
        refused(Action.MANAGE_SURVEYS),
        need(Action.MANAGE_SURVEYS),
        posts={"open": ({"to": "open"}, need(Action.MANAGE_SURVEYS))},
    ),
    "petitions:survey_question_delete": Page(
        refused(Action.MANAGE_SURVEYS), need(Action.MANAGE_SURVEYS)
    ),
    "petitions:survey_results": READ,
    "petitions:survey_summary": _same(Action.MANAGE_SURVEYS),
    "petitions:survey_export": READ,
    "petitions:survey_qr": READ,
    # -- reports: officers write, reviewers score, leaders approve, auditors read ------------
    "reports:list": READ,
    "reports:detail": READ,
    "reports:compare": READ,
    "reports:export": _same(MEMBER, kwargs={"fmt": "json"}),
    "reports:create": Page(refused(MEMBER), need(Action.EDIT_REPORT)),
    "reports:rules": Page(need(MEMBER), need(Action.SET_REPORT_RULES)),  # the four-eyes rule
    "reports:redraft": Page(refused(MEMBER), need(Action.EDIT_REPORT)),
    "reports:due_date": Page(refused(MEMBER), need(Action.EDIT_REPORT)),
    # The measure's page, and one address per thing done on it.
    "reports:measure": Page(need(MEMBER), refused(MEMBER)),
    "reports:measure_save": Page(refused(Action.EDIT_REPORT), need(Action.EDIT_REPORT)),
    "reports:measure_redraft": Page(refused(Action.EDIT_REPORT), need(Action.EDIT_REPORT)),
    "reports:measure_score": Page(
        refused(Action.REVIEW_REPORT),
        need(Action.REVIEW_REPORT),
        posts={"score": ({"score": "100"}, need(Action.REVIEW_REPORT))},
    ),
    # Issue 18: the parent body's score, return and approval; the walk's report is a draft,
    # so an allowed POST is refused by the service (a message, 302) or the form (400).
    "reports:measure_parent_score": Page(
        refused(Action.EVALUATE_AS_PARENT),
        need(Action.EVALUATE_AS_PARENT),
        posts={"score": ({"parent-score": "100"}, need(Action.EVALUATE_AS_PARENT))},
    ),
    "reports:parent_step": Page(
        refused(MEMBER),
        need(Action.EVALUATE_AS_PARENT),
        posts={
            "return": ({"step": "return", "reason": "x"}, need(Action.EVALUATE_AS_PARENT)),
            "approve": ({"step": "approve"}, need(Action.EVALUATE_AS_PARENT)),
            "reopen": ({"step": "reopen", "reason": "x"}, need(Action.EVALUATE_AS_PARENT)),
        },
    ),
    "reports:measure_comment": Page(
        refused(Action.EDIT_REPORT, Action.REVIEW_REPORT),
        need(Action.EDIT_REPORT, Action.REVIEW_REPORT),
    ),
    "reports:transition": Page(
        refused(MEMBER),
        need(Action.EDIT_REPORT, Action.REVIEW_REPORT, Action.APPROVE_REPORT),
        posts={
            "submit": ({"transition": "submit"}, need(Action.EDIT_REPORT)),
            "review": ({"transition": "review"}, need(Action.REVIEW_REPORT)),
            "approve": ({"transition": "approve"}, need(Action.APPROVE_REPORT)),
            # The walk's report is a draft: sending it back needs review or approve.
            "reopen": (
                {"transition": "reopen", "reason": "x"},
                need(Action.REVIEW_REPORT, Action.APPROVE_REPORT),
            ),
        },
    ),
    # The evidence bundle is a download: whoever reads the report may build and fetch it.
    "reports:bundle": READ,
    # Issue 18: the ranking of the organization's descendants: those who see them read it,
    # a reviewer or leader approves it (the walk's organization has none: a message).
    "reports:ranking": Page(
        need(SEES_DESCENDANTS, Action.APPROVE_REPORT), need(Action.APPROVE_REPORT)
    ),
    "reports:consolidated": Page(
        need(SEES_DESCENDANTS, Action.APPROVE_REPORT),
        refused(SEES_DESCENDANTS, Action.APPROVE_REPORT),
    ),
    "reports:bundle_download": READ,
    # -- dashboards --------------------------------------------------------------------------
    "dashboards:dashboard": READ,
    "dashboards:chart_goals": _same(MEMBER, kwargs={"fmt": "svg"}),
    "dashboards:chart_criteria": _same(MEMBER, kwargs={"fmt": "svg"}),
    "dashboards:calendar": READ,
    "dashboards:search": READ,
    "dashboards:children": _same(SEES_DESCENDANTS),
    "dashboards:children_xlsx": _same(SEES_DESCENDANTS),
}

# Who walks, and the roles each holds in (or above) the walked organization.
PERSONAS: dict[str, tuple[str, str, frozenset[str]]] = {
    # name: (where the membership is, role, roles that count in the walked organization)
    "coordinator": ("org", Role.COORDINATOR, frozenset({Role.COORDINATOR})),
    "officer": ("org", Role.OFFICER, frozenset({Role.OFFICER})),
    "reviewer": ("org", Role.REVIEWER, frozenset({Role.REVIEWER})),
    "leader": ("org", Role.LEADER, frozenset({Role.LEADER})),
    "auditor": ("org", Role.AUDITOR, frozenset({Role.AUDITOR})),
    # The parent body's leader is not the organization's leader: it reads the organization
    # and its descendants and evaluates for the parent body, and approves nothing of its own.
    "leader of the parent": ("parent", Role.LEADER, frozenset({PARENT_LEADER, PARENT_EVALUATOR})),
    "auditor of the parent": ("parent", Role.AUDITOR, frozenset({Role.AUDITOR})),
    # Issue 18: a reviewer of the parent body reads the organization and evaluates its
    # reports for the parent body, nothing else.
    "reviewer of the parent": ("parent", Role.REVIEWER, frozenset({PARENT_EVALUATOR})),
    "outsider": ("other", Role.COORDINATOR, frozenset()),
}


def _allowed(need_: Need, roles: frozenset[str]) -> bool:
    if need_.any_of & {ANYONE, SIGNED_IN}:
        return True
    if SEES_DESCENDANTS in need_.any_of and roles & ROLES_SHOWN_DESCENDANTS:
        return True
    return any(role_allows(role, what) for role in roles for what in need_.any_of)


def expected_statuses(need_: Need, roles: frozenset[str], method: str) -> set[int]:
    """The answers the table allows for one request (see the module's docstring)."""
    if not _allowed(need_, roles):
        return {403} if roles else {404}
    if not need_.accepts:
        return {405}
    return {200, 302} if method == "get" else {200, 302, 400}


def walked_patterns() -> list[tuple[str, str]]:
    """(name, route) of every named URL pattern the walk asks."""
    return [
        (name, route)
        for name, route, _converters in _walk(get_resolver().url_patterns)
        if name and not route.startswith(SKIP_PREFIXES)
    ]


def test_every_url_pattern_is_in_the_table():
    names = [name for name, _route in walked_patterns()]
    assert sorted(set(names) - set(TABLE)) == [], "add these URL names to TABLE"
    assert sorted(set(TABLE) - set(names)) == [], "these TABLE entries name no URL"


def test_the_table_says_what_the_issue_says():
    """Issue #6: an officer cannot score, a reviewer cannot edit register rows, an auditor
    cannot change anything, a leader only approves and publishes (and, issue 16, sets the
    report rules)."""
    score = TABLE["reports:measure_score"].posts["score"][1]
    assert not _allowed(score, frozenset({Role.OFFICER}))
    assert not _allowed(TABLE["registers:edit"].post, frozenset({Role.REVIEWER}))
    # Issue 18: no role of the organization itself scores or returns for its parent body.
    own_roles = frozenset({Role.COORDINATOR, Role.OFFICER, Role.REVIEWER, Role.LEADER})
    for name in ("reports:measure_parent_score", "reports:parent_step"):
        for _data, need_ in TABLE[name].posts.values():
            assert not _allowed(need_, own_roles), name
            assert _allowed(need_, frozenset({PARENT_EVALUATOR})), name
    reads = {MEMBER, Action.EXPORT_PLAN, SIGNED_IN, ANYONE}
    for name, page in TABLE.items():
        for label, need_ in [("post", page.post)] + [(k, v[1]) for k, v in page.posts.items()]:
            auditor_may = _allowed(need_, frozenset({Role.AUDITOR}))
            leader_may = _allowed(need_, frozenset({Role.LEADER}))
            if auditor_may and need_.accepts:  # a refused method (405) changes nothing
                assert need_.any_of <= reads | {SEES_DESCENDANTS}, (name, label)
            if leader_may and not auditor_may:
                assert need_.any_of & {
                    Action.APPROVE_PLAN,
                    Action.PUBLISH_PLAN,
                    Action.APPROVE_REPORT,
                    Action.SET_REPORT_RULES,
                }, (name, label)


@pytest.fixture
def world(request, org, parent_org, other_org, settings):
    """The walk's ids (`victim`'s, plus stored bytes behind the files it names) and users."""
    victim = request.getfixturevalue("victim")
    from shudarga.evidence.models import Evidence
    from shudarga.petitions.models import PetitionAttachment
    from shudarga.plans.models import PlanImportDraft
    from shudarga.reports.models import Report, ReportBundle
    from tests.factories import EvidenceFactory, MembershipFactory, UserFactory

    # A POST to the bundle page then only queues the build (on commit, which never comes
    # inside the test's transaction) instead of zipping files a few hundred times.
    settings.REPORT_BUNDLE_SYNC_MAX_FILES = -1
    pdf = ContentFile(b"%PDF-1.4\n%walk\n")

    evidence = Evidence.objects.get(pk=victim["evidence_id"])
    file_evidence = EvidenceFactory(as_file=True, organization=org, measure=evidence.measure)
    file_evidence.file.name = file_evidence.file.storage.save(file_evidence.file.name, pdf)
    file_evidence.save(update_fields=["file"])

    attachment = PetitionAttachment.objects.get(pk=victim["attachment_id"])
    attachment.file.name = attachment.file.storage.save("walk/attachment.pdf", pdf)
    attachment.save(update_fields=["file"])

    report = Report.objects.get(pk=victim["report_id"])
    bundle = ReportBundle.objects.create(report=report, status=ReportBundle.Status.DONE)
    bundle.file.name = bundle.file.storage.save("walk/bundle.zip", ContentFile(b"PK\x05\x06"))
    bundle.save(update_fields=["file"])

    places = {"org": org, "parent": parent_org, "other": other_org}
    users = {}
    for name, (place, role, _roles) in PERSONAS.items():
        user = UserFactory(username="walk-" + name.replace(" ", "-"))
        MembershipFactory(user=user, organization=places[place], role=role)
        users[name] = user
    seed = (
        Path(__file__).parent.parent / "src/shudarga/plans/fixtures/seed_plan_2023.txt"
    ).read_bytes()
    drafts = {
        name: PlanImportDraft.objects.create(
            organization=org, created_by=user, filename="seed.txt", content=seed, sha256=""
        ).pk
        for name, user in users.items()
    }
    values = {
        **victim,
        "drafts": drafts,
        "evidence_id": file_evidence.pk,
        # The set-password page with a link that does not work: it says so, to anyone.
        "uidb64": "MA",
        "token": "x-x",
    }
    return values, users


def _ask(client, method: str, url: str, data: dict[str, str] | None) -> int:
    """One request whose changes are undone afterwards (data and cookies)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code


def test_every_role_gets_what_the_table_says(client, world):
    values, users = world
    patterns = walked_patterns()
    wrong: list[str] = []
    asked = 0
    for persona, user in users.items():
        roles = PERSONAS[persona][2]
        client.force_login(user)
        own = {**values, "draft_id": values["drafts"][persona]}
        for name, route in patterns:
            page = TABLE[name]
            url = reverse(name, kwargs=_kwargs(route, {**own, **page.kwargs}))
            requests = [("get", None, page.get), ("post", None, page.post)]
            requests += [("post", data, need_) for data, need_ in page.posts.values()]
            for method, data, need_ in requests:
                status = _ask(client, method, url, data)
                asked += 1
                expected = expected_statuses(need_, roles, method)
                if status not in expected:
                    body = f" {data}" if data else ""
                    wrong.append(
                        f"{persona}: {method.upper()} {name}{body} gave {status}, "
                        f"expected {sorted(expected)}"
                    )
    assert not wrong, "\n".join(wrong)
    assert asked > 9 * 2 * 70


# -- issue 16: four eyes, one's own roles, a role granted mid-session -----------------------


def test_one_person_with_every_role_still_needs_a_second(client, world, org):
    """A member who holds coordinator, reviewer and leader at once (the attack of issue 16
    gave the reviewer role to oneself; here the system gave it) walks the workflow of one
    report: they submit it, and every later step of theirs is refused; their own roles
    cannot be changed by them."""
    from shudarga.core.models import AuditEntry
    from shudarga.reports.models import Report
    from shudarga.reports.services import report_item_score, report_mark_reviewed
    from tests.factories import MembershipFactory, UserFactory

    values, users = world
    person = UserFactory(username="walk-all-hands")
    for role in (Role.COORDINATOR, Role.REVIEWER, Role.LEADER):
        MembershipFactory(user=person, organization=org, role=role)
    client.force_login(person)
    code, report_id = values["code"], values["report_id"]
    transition = reverse("reports:transition", args=[code, report_id])

    member = reverse("organizations:member", args=[code, person.pk])
    assert client.post(member, {"role": Role.OFFICER}).status_code == 403
    for membership in person.memberships.all():
        remove = reverse("organizations:remove_role", args=[code, membership.pk])
        assert client.post(remove).status_code == 403
    assert person.memberships.count() == 3

    assert client.post(transition, {"transition": "submit"}).status_code == 302
    report = Report.objects.get(pk=report_id)
    assert report.status == "submitted" and report.submitted_by == person
    measure_id = report.items.filter(due=True).values_list("measure_id", flat=True).first()
    score = reverse("reports:measure_score", args=[code, report_id, measure_id])
    client.cookies["django_language"] = "en"
    refused = client.post(score, {"score": "100"}, follow=True)
    assert "someone else must review" in refused.content.decode()
    client.post(transition, {"transition": "review"})
    assert Report.objects.get(pk=report_id).status == "submitted"
    assert not report.items.exclude(score=None).exists()

    reviewer = users["reviewer"]
    for item in report.items.filter(due=True).select_related("measure"):
        report_item_score(report=report, measure=item.measure, actor=reviewer, score=100)
    report_mark_reviewed(report=report, actor=reviewer)
    client.post(transition, {"transition": "approve"})
    assert Report.objects.get(pk=report_id).status == "reviewed"
    assert not AuditEntry.objects.filter(action="report.approved", actor=person).exists()


def test_a_reviewer_made_mid_session_meets_two_factor_on_every_page(client, world, org, settings):
    """The officer of the walk is signed in when a coordinator makes them reviewer; with
    reviewers required to use two-factor, every page of the walk (GET and POST) now sends
    them to set it up, except signing out, the language and the two-factor pages."""
    from shudarga.organizations.services import membership_grant

    values, users = world
    settings.SHUDARGA_REQUIRE_2FA_FOR = ["reviewer"]
    officer = users["officer"]
    client.force_login(officer)
    assert client.get(reverse("dashboards:my_work")).status_code == 200
    membership_grant(user=officer, organization=org, role=Role.REVIEWER, actor=users["coordinator"])
    open_anyway = {
        "logout", "set_language", "login", "healthz", "readyz", "organizations:set_password",
        "accounts:two_factor", "accounts:two_factor_verify",
    }  # fmt: skip
    set_up = reverse("accounts:two_factor")
    wrong = []
    for name, route in walked_patterns():
        if name in open_anyway:
            continue
        page = TABLE[name]
        url = reverse(name, kwargs=_kwargs(route, {**values, **page.kwargs}))
        for method in ("get", "post"):
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            client.cookies = cookies
            if response.status_code != 302 or not response["Location"].startswith(set_up):
                wrong.append(f"{method.upper()} {name} gave {response.status_code}")
    assert not wrong, "\n".join(wrong)
