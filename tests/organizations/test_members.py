"""Members: inviting people, giving and taking roles, in services and on the pages."""

from __future__ import annotations

import re
import smtplib
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.organizations.models import Membership
from shudarga.organizations.roles import Role
from shudarga.organizations.services import member_invite, membership_grant, membership_remove
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
BASE = "https://shudarga.example"


def _invite(org, actor, **overrides):
    values = {
        "username": "bat",
        "email": "bat@example.mn",
        "first_name": "Бат",
        "last_name": "Дорж",
        "role": Role.OFFICER,
    }
    return member_invite(organization=org, actor=actor, base_url=BASE, **(values | overrides))


def _link_path(text: str) -> str:
    match = re.search(re.escape(BASE) + r"(/accounts/set-password/\S+/)", text)
    assert match, text
    return match.group(1)


# --- services -------------------------------------------------------------------------------


def test_it_invites_a_new_person_without_a_password(org, coordinator):
    invitation = _invite(org, coordinator)

    user = User.objects.get(username="bat")
    assert invitation.created_user and invitation.mailed
    assert not user.has_usable_password()
    assert (user.email, user.first_name, user.last_name) == ("bat@example.mn", "Бат", "Дорж")
    assert Membership.objects.filter(user=user, organization=org, role=Role.OFFICER).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bat@example.mn"]
    assert invitation.link.startswith(BASE + "/accounts/set-password/")
    assert invitation.link in mail.outbox[0].body


def test_it_audits_an_invitation_without_the_link(org, coordinator):
    invitation = _invite(org, coordinator)

    entries = {e.action: e for e in AuditEntry.objects.filter(organization_id=org.pk)}
    granted, invited = entries["membership.granted"], entries["member.invited"]
    assert granted.actor == coordinator
    assert granted.changes == {"user": "bat", "role": "officer", "roles": [[], ["officer"]]}
    assert invited.changes["account_created"] is True
    assert invited.changes["password_link_issued"] is True
    token = invitation.link.rstrip("/").rsplit("/", 1)[1]
    assert token not in str(invited.changes)


def test_the_link_sets_a_password_once(client, org, coordinator):
    invitation = _invite(org, coordinator)
    path = _link_path(invitation.link)

    response = client.get(path)  # Django moves the token into the session and redirects
    assert response.status_code == 302
    form_url = response["Location"]
    assert "set-password" in form_url
    response = client.post(
        form_url, {"new_password1": "Ulaanbaatar-2024!", "new_password2": "Ulaanbaatar-2024!"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("login")

    user = User.objects.get(username="bat")
    assert user.check_password("Ulaanbaatar-2024!")
    assert AuditEntry.objects.filter(action="user.password_set", actor=user).exists()
    # Used once: the token signed the old password hash.
    again = client.get(path, follow=True)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "new_password1" not in again.content.decode()


def test_it_gives_an_existing_account_the_role_and_changes_nothing_else(
    org, coordinator, other_org
):
    person = UserFactory(username="tuya", email="tuya@example.mn", first_name="Туяа")
    MembershipFactory(user=person, organization=other_org, role=Role.OFFICER)
    password_hash = person.password

    invitation = _invite(
        org, coordinator, username="tuya", email="TUYA@example.mn", first_name="Other"
    )

    person.refresh_from_db()
    assert not invitation.created_user and invitation.link is None and not invitation.mailed
    assert (person.first_name, person.email, person.password) == (
        "Туяа",
        "tuya@example.mn",
        password_hash,
    )
    assert Membership.objects.filter(user=person, organization=org, role="officer").exists()
    assert mail.outbox == []


def test_it_sends_a_new_link_to_an_invited_person_who_never_set_a_password(org, coordinator):
    _invite(org, coordinator)
    invitation = _invite(org, coordinator, role=Role.REVIEWER)
    assert not invitation.created_user
    assert invitation.link and len(mail.outbox) == 2


def test_it_refuses_an_existing_user_name_with_another_email(org, coordinator):
    person = UserFactory(username="tuya", email="tuya@example.mn")

    with pytest.raises(ValidationError) as exc:
        _invite(org, coordinator, username="tuya", email="someone@else.mn")

    assert "email" in exc.value.error_dict
    assert not Membership.objects.filter(user=person, organization=org).exists()
    assert not AuditEntry.objects.filter(action__startswith="member").exists()


def test_it_refuses_a_new_user_name_for_an_email_that_has_an_account(org, coordinator):
    UserFactory(username="tuya", email="tuya@example.mn")

    with pytest.raises(ValidationError):
        _invite(org, coordinator, username="tuya2", email="Tuya@Example.mn")

    assert not User.objects.filter(username="tuya2").exists()


@pytest.mark.parametrize("persona", ["officer", "reviewer", "leader", "auditor", "outsider"])
def test_only_a_coordinator_of_the_organization_grants_roles(request, org, persona):
    actor = request.getfixturevalue(persona)
    person = UserFactory(username="someone")

    with pytest.raises(PermissionDenied):
        membership_grant(user=person, organization=org, role=Role.COORDINATOR, actor=actor)
    with pytest.raises(PermissionDenied):
        _invite(org, actor)

    assert not Membership.objects.filter(user=person).exists()
    assert not User.objects.filter(username="bat").exists()


def test_a_coordinator_of_a_parent_does_not_manage_its_children(parent_org, org):
    parent_coordinator = UserFactory(username="parent-coordinator")
    MembershipFactory(user=parent_coordinator, organization=parent_org, role=Role.COORDINATOR)

    with pytest.raises(PermissionDenied):
        membership_grant(
            user=parent_coordinator, organization=org, role=Role.AUDITOR, actor=parent_coordinator
        )


def test_it_refuses_an_unknown_role(org, coordinator, officer):
    with pytest.raises(ValidationError):
        membership_grant(user=officer, organization=org, role="admin", actor=coordinator)


def test_granting_a_role_twice_changes_nothing(org, coordinator, officer):
    count = AuditEntry.objects.count()
    membership_grant(user=officer, organization=org, role=Role.OFFICER, actor=coordinator)
    assert AuditEntry.objects.count() == count
    assert Membership.objects.filter(user=officer, organization=org).count() == 1


def test_it_removes_a_role_and_audits_before_and_after(org, coordinator, officer):
    membership_grant(user=officer, organization=org, role=Role.REVIEWER, actor=coordinator)
    membership = Membership.objects.get(user=officer, organization=org, role=Role.OFFICER)
    membership_id = membership.pk

    membership_remove(membership=membership, actor=coordinator, ip="10.0.0.7")

    assert list(
        Membership.objects.filter(user=officer, organization=org).values_list("role", flat=True)
    ) == ["reviewer"]
    entry = AuditEntry.objects.get(action="membership.removed")
    assert entry.actor == coordinator and entry.ip == "10.0.0.7"
    assert entry.object_id == str(membership_id)
    assert entry.changes == {
        "user": "officer",
        "role": "officer",
        "roles": [["officer", "reviewer"], ["reviewer"]],
    }


def test_it_keeps_the_last_coordinator(org, coordinator):
    membership = Membership.objects.get(user=coordinator, organization=org)

    with pytest.raises(ValidationError) as exc:
        membership_remove(membership=membership, actor=None)  # even the system keeps it

    assert exc.value.code == "last_coordinator"
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEntry.objects.filter(action="membership.removed").exists()


def test_a_coordinator_steps_down_through_another_coordinator(org, coordinator, officer):
    membership_grant(user=officer, organization=org, role=Role.COORDINATOR, actor=coordinator)
    own = Membership.objects.get(user=coordinator, organization=org)

    with pytest.raises(PermissionDenied):
        membership_remove(membership=own, actor=coordinator)  # nobody changes their own roles
    membership_remove(membership=own, actor=officer)

    assert not Membership.objects.filter(pk=own.pk).exists()


def test_nobody_grants_themselves_a_role(org, coordinator):
    """Issue 16, finding 1: a coordinator gave themselves the reviewer role and then wrote,
    reviewed and approved the same report."""
    with pytest.raises(PermissionDenied):
        membership_grant(user=coordinator, organization=org, role=Role.REVIEWER, actor=coordinator)
    assert sorted(coordinator.memberships.values_list("role", flat=True)) == [Role.COORDINATOR]


def test_only_a_coordinator_removes_roles(org, coordinator, officer, reviewer):
    membership = Membership.objects.get(user=officer, organization=org)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=membership, actor=reviewer)
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- pages ----------------------------------------------------------------------------------


def _members_url(org):
    return reverse("organizations:members", args=[org.code])


def test_the_members_page_lists_people_and_their_roles(client, org, coordinator, officer, auditor):
    membership_grant(user=officer, organization=org, role=Role.REVIEWER, actor=coordinator)
    client.force_login(coordinator)

    response = client.get(_members_url(org))

    assert response.status_code == 200
    body = response.content.decode()
    assert "officer" in body and "coordinator" in body
    people = list(response.context["page_obj"].object_list)
    assert {p.username for p in people} == {"coordinator", "officer"}
    officer_row = next(p for p in people if p.username == "officer")
    assert [m.role for m in officer_row.org_memberships] == ["officer", "reviewer"]
    # The parent's auditor sees this organization too; the page says so.
    assert [m.user.username for m in response.context["inherited"]] == ["auditor"]


@pytest.mark.parametrize("persona", ["officer", "reviewer", "leader", "auditor"])
def test_the_members_page_is_for_coordinators_only(client, org, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_members_url(org)).status_code == 403


def test_the_menu_shows_members_to_coordinators_only(client, org, coordinator, officer):
    url = reverse("plans:list", args=[org.code])
    client.force_login(coordinator)
    assert _members_url(org) in client.get(url).content.decode()
    client.force_login(officer)
    assert _members_url(org) not in client.get(url).content.decode()


@pytest.mark.parametrize("n_people", [1, 30])
def test_the_members_page_runs_a_fixed_number_of_queries(
    client, org, coordinator, django_assert_num_queries, n_people
):
    for i in range(n_people):
        MembershipFactory(user=UserFactory(username=f"p{i}"), organization=org, role="officer")
        MembershipFactory(user=UserFactory(username=f"p{i}"), organization=org, role="reviewer")
    client.force_login(coordinator)
    # session, user, the user's memberships, organization, count of people, page of people,
    # their memberships here, roles inherited from parents, organizations for the switcher
    with django_assert_num_queries(9):
        response = client.get(_members_url(org))
    assert response.status_code == 200


def test_it_invites_from_the_page_and_shows_the_link_once(client, org, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("organizations:invite", args=[org.code]),
        {
            "first_name": "Бат",
            "last_name": "",
            "email": "bat@example.mn",
            "username": "bat",
            "role": "officer",
        },
    )
    assert response.status_code == 200
    link = response.context["invitation"].link
    assert link.startswith("http://testserver/accounts/set-password/")
    assert link in response.content.decode()
    assert link in mail.outbox[0].body
    assert User.objects.get(username="bat").memberships.get().organization == org


def test_the_invite_form_names_bad_input_and_saves_nothing(client, org, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("organizations:invite", args=[org.code]),
        {"first_name": "", "email": "not-an-address", "username": "a b", "role": "boss"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "email", "username", "role"}
    assert User.objects.count() == 1 and mail.outbox == []


def test_a_mail_failure_saves_nothing(client, org, coordinator):
    client.force_login(coordinator)
    with mock.patch(
        "shudarga.organizations.services.send_mail",
        side_effect=smtplib.SMTPException("refused"),
    ):
        response = client.post(
            reverse("organizations:invite", args=[org.code]),
            {"first_name": "Бат", "email": "bat@example.mn", "username": "bat", "role": "officer"},
        )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="bat").exists()
    assert not AuditEntry.objects.filter(action__startswith="member").exists()


def test_it_gives_another_role_on_the_person_page(client, org, coordinator, officer):
    client.force_login(coordinator)
    url = reverse("organizations:member", args=[org.code, officer.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"role": "reviewer"})

    assert response.status_code == 302
    assert set(officer.memberships.values_list("role", flat=True)) == {"officer", "reviewer"}


def test_the_person_page_refuses_a_bad_role(client, org, coordinator, officer):
    client.force_login(coordinator)
    response = client.post(
        reverse("organizations:member", args=[org.code, officer.pk]), {"role": "boss"}
    )
    assert response.status_code == 400
    assert officer.memberships.count() == 1


def test_people_of_other_organizations_are_404(client, org, coordinator, outsider):
    client.force_login(coordinator)
    assert (
        client.get(reverse("organizations:member", args=[org.code, outsider.pk])).status_code == 404
    )
    other_membership = outsider.memberships.get()
    url = reverse("organizations:remove_role", args=[org.code, other_membership.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other_membership.pk).exists()


def test_it_asks_before_removing_a_role(client, org, coordinator, officer):
    membership = officer.memberships.get()
    url = reverse("organizations:remove_role", args=[org.code, membership.pk])
    client.force_login(coordinator)

    assert client.get(url).status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == _members_url(org)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_pages_refuse_a_coordinators_own_roles(client, org, coordinator):
    """A coordinator cannot change their own roles: their page says so and offers no form;
    posting anyway is 403, and so is removing their own role."""
    membership = coordinator.memberships.get()
    client.force_login(coordinator)
    page = reverse("organizations:member", args=[org.code, coordinator.pk])

    html = client.get(page).content.decode()
    assert 'data-test="own-roles"' in html and 'name="role"' not in html
    assert client.post(page, {"role": Role.REVIEWER}).status_code == 403
    remove = reverse("organizations:remove_role", args=[org.code, membership.pk])
    assert client.post(remove).status_code == 403

    assert list(coordinator.memberships.values_list("role", flat=True)) == [Role.COORDINATOR]


def test_the_members_page_lists_the_parent_bodys_people_apart_and_read_only(
    client, org, parent_org, coordinator, auditor
):
    """Issue 18: the organization knows who of its parent bodies sees its data and with
    what role; they are listed apart, with no button to change them."""
    from shudarga.organizations.roles import INHERITED_LABELS

    top_leader = UserFactory(username="aimag-leader", first_name="Дорж")
    MembershipFactory(user=top_leader, organization=parent_org, role=Role.LEADER)
    parent_reviewer = UserFactory(username="aimag-reviewer")
    MembershipFactory(user=parent_reviewer, organization=parent_org, role=Role.REVIEWER)
    # A parent body's officer and coordinator see nothing here: not listed.
    MembershipFactory(
        user=UserFactory(username="aimag-officer"), organization=parent_org, role=Role.OFFICER
    )
    client.force_login(coordinator)
    response = client.get(_members_url(org))
    inherited = response.context["inherited"]
    assert sorted((m.user.username, m.role) for m in inherited) == [
        ("aimag-leader", Role.LEADER),
        ("aimag-reviewer", Role.REVIEWER),
        ("auditor", Role.AUDITOR),
    ]
    body = response.content.decode()
    section = body[body.index('id="parent-people"') :]
    for role in (Role.LEADER, Role.REVIEWER, Role.AUDITOR):
        assert str(INHERITED_LABELS[role]) in section
    assert "aimag-officer" not in body
    assert parent_org.name in section
    # Read-only: no form or link to change their roles from here.
    assert "<form" not in section and "remove" not in section
    # They are not among the organization's own people.
    assert {p.username for p in response.context["page_obj"].object_list} == {"coordinator"}
