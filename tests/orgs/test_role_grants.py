"""Security test of December 2026, M2: a system administrator granted itself the committee office
at the root and then read confidential documents and opinions, which its role leaves out.

Nobody grants a role to themselves, and a grantor cannot hand out a permission it does not hold
itself on that organisation: a system administrator (without DOCUMENT_SECRET_VIEW and
OPINION_ANSWER) grants neither the committee office nor the inspection commission nor the leader
role. The refusal names why and changes nothing. The system itself (actor None: the demo, a
console bootstrap) and a Django superuser (made at the console with `dangbo createsuperuser`, who
holds every permission) still grant every role.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dangbo.core.models import AuditEvent
from dangbo.core.scoping import allowed
from dangbo.orgs import services
from dangbo.orgs.models import RoleAssignment
from dangbo.rules.roles import Perm, Role
from tests.helpers import PASSWORD, client_for

pytestmark = pytest.mark.django_db

CONFIDENTIAL = (Role.COMMITTEE_OFFICE, Role.INSPECTION, Role.LEADER)  # read confidential documents


def refused_page(client: Any, organisation: Any, username: str, role: str) -> str:
    events, grants = AuditEvent.objects.count(), RoleAssignment.objects.count()
    response = client.post(
        reverse("orgs:roles", args=[organisation.pk]), {"username": username, "role": role}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Dữ liệu chưa được lưu" in html
    assert (AuditEvent.objects.count(), RoleAssignment.objects.count()) == (events, grants)
    return html


def fresh(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)  # no cached grants


def test_a_sysadmin_cannot_grant_itself_the_committee_office_at_the_root(world):
    """The report's request: POST /to-chuc/1/phan-quyen/ username=quantri role=committee_office."""
    html = refused_page(client_for("sysadmin"), world.bloc, "sysadmin", Role.COMMITTEE_OFFICE)
    assert "cho chính mình" in html
    admin = fresh(world.users["sysadmin"])
    assert not admin.role_assignments.active().filter(role=Role.COMMITTEE_OFFICE).exists()
    assert not allowed(admin, Perm.DOCUMENT_SECRET_VIEW, world.bloc)
    assert not allowed(admin, Perm.OPINION_ANSWER, world.cell_a)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SYSADMIN, Role.CELL_SECRETARY])
def test_nobody_grants_a_role_to_themselves_even_a_lesser_one(world, role):
    html = refused_page(client_for("sysadmin"), world.cell_a, "sysadmin", role)
    assert "cho chính mình" in html


@pytest.mark.parametrize("role", CONFIDENTIAL)
def test_a_sysadmin_cannot_grant_a_role_with_rights_it_does_not_hold(world, role):
    html = refused_page(client_for("sysadmin"), world.bloc, "norole", role)
    assert "mà chính đồng chí không có" in html and "đọc tài liệu mật" in html
    assert not fresh(world.users["norole"]).role_assignments.exists()


def test_the_refusal_names_each_missing_right(world):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.role_assign(
            actor=world.users["sysadmin"],
            user=world.users["norole"],
            organisation=world.tct,
            role=Role.COMMITTEE_OFFICE,
        )
    message = refused.value.message_dict["role"][0]
    assert "Văn phòng / Ban Tổ chức Đảng ủy" in message
    assert "đọc tài liệu mật" in message and "trả lời góp ý" in message


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CELL_SECRETARY, Role.EMULATION, Role.SYSADMIN])
def test_a_sysadmin_still_grants_the_roles_it_holds_to_someone_else(world, role):
    response = client_for("sysadmin").post(
        reverse("orgs:roles", args=[world.cell_a.pk]), {"username": "norole", "role": role}
    )
    assert response.status_code == 302
    assignment = fresh(world.users["norole"]).role_assignments.get()
    assert assignment.role == role
    assert AuditEvent.objects.filter(action="role.assign", object_id=str(assignment.pk)).count() == 1


def test_a_grantor_needs_the_rights_on_that_organisation_not_elsewhere(world):
    """A sysadmin of one branch, who is also the office of another, cannot pass the office's rights on
    in the first branch."""
    admin = world.users["sysadmin"]
    services.role_assign(actor=None, user=admin, organisation=world.other_upper, role=Role.COMMITTEE_OFFICE)
    admin = fresh(admin)
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=admin, user=world.users["norole"], organisation=world.tct, role=Role.COMMITTEE_OFFICE
        )
    granted = services.role_assign(
        actor=admin, user=world.users["norole"], organisation=world.other_upper, role=Role.COMMITTEE_OFFICE
    )
    assert granted.role == Role.COMMITTEE_OFFICE


def test_the_system_and_a_console_superuser_grant_every_role(world):
    """The demo and a bootstrap grant with actor None: a system bootstrap, not a self-grant. A
    superuser made at the console (`dangbo createsuperuser`) holds every permission, so grants the
    committee office to another login on the page."""
    services.role_assign(actor=None, user=world.users["norole"], organisation=world.tct, role="inspection")
    get_user_model().objects.create_superuser(username="root", password=PASSWORD)
    response = client_for("root").post(
        reverse("orgs:roles", args=[world.bloc.pk]), {"username": "norole", "role": "committee_office"}
    )
    assert response.status_code == 302
    assert set(fresh(world.users["norole"]).role_assignments.values_list("role", flat=True)) == {
        "inspection",
        "committee_office",
    }
    refused_page(client_for("root"), world.bloc, "root", "committee_office")  # not to itself either


def test_the_roles_page_offers_only_the_roles_one_may_grant(world):
    html = client_for("sysadmin").get(reverse("orgs:roles", args=[world.tct.pk])).content.decode()
    assert 'value="sysadmin"' in html and 'value="cell_secretary"' in html
    for role in CONFIDENTIAL:
        assert f'value="{role.value}"' not in html
    assert [r for r in services.grantable_roles(None, world.tct)] == list(Role)
