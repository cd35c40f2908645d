"""The one scoping function: a role on an organisation reaches its subtree and the units it leads."""

from __future__ import annotations

import pytest

from dangbo.core.scoping import allowed, grant_for, scope
from dangbo.orgs import services
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules.roles import Perm

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_cell_secretary_sees_only_their_cell(world):
    secretary = world.users["secretary"]
    assert names(scope(Organisation.objects.all(), secretary, Perm.ORG_VIEW)) == {"Chi bộ Văn phòng"}
    assert names(scope(Unit.objects.all(), secretary, Perm.UNIT_VIEW)) == {"Văn phòng Tổng công ty"}


def test_committee_office_sees_the_whole_subtree_and_led_units(world):
    office = world.users["office"]
    orgs = names(scope(Organisation.objects.all(), office, Perm.ORG_VIEW))
    assert orgs == {
        "Đảng bộ Tổng công ty Thử nghiệm",
        "Đảng bộ Cơ quan",
        "Chi bộ Văn phòng",
        "Chi bộ Ban Đầu tư",
    }
    units = names(scope(Unit.objects.all(), office, Perm.UNIT_VIEW))
    # The provincial post office takes part through the corporation even though no org of ours leads it.
    assert "Bưu điện thành phố Hà Nội" in units and len(units) == 4


def test_grant_reduces_nested_assignments_to_minimal_prefixes(world):
    office = world.users["office"]
    services.role_assign(actor=None, user=office, organisation=world.cell_a, role="committee_office")
    office = type(office).objects.get(pk=office.pk)
    assert grant_for(office, Perm.ORG_VIEW).party == (world.tct.path,)


def test_no_role_sees_nothing(world):
    nobody = world.users["norole"]
    assert not scope(Organisation.objects.all(), nobody, Perm.ORG_VIEW).exists()
    assert not allowed(nobody, Perm.ORG_VIEW, world.cell_a)


def test_revoked_role_no_longer_grants(world):
    member = world.users["member"]
    services.role_revoke(actor=None, assignment=member.role_assignments.get())
    member = type(member).objects.get(pk=member.pk)
    assert not scope(Organisation.objects.all(), member, Perm.ORG_VIEW).exists()


def test_permissions_differ_by_role_on_the_same_node(world):
    assert allowed(world.users["office"], Perm.ORG_CHANGE, world.cell_a)
    assert not allowed(world.users["leader"], Perm.ORG_CHANGE, world.cell_a)
    assert allowed(world.users["leader"], Perm.AUDIT_VIEW, world.cell_a)
    assert not allowed(world.users["outsider"], Perm.ORG_VIEW, world.cell_a)


def test_people_are_scoped_by_their_organisation_or_unit(world, person):
    loose = services.person_create(actor=None, full_name="Đỗ Văn Ngoài", unit=world.province)
    secretary_sees = set(scope(Person.objects.all(), world.users["secretary"], Perm.PERSON_VIEW))
    office_sees = set(scope(Person.objects.all(), world.users["office"], Perm.PERSON_VIEW))
    assert secretary_sees == {person}
    assert office_sees == {person, loose}


def test_superuser_sees_everything(world):
    root = type(world.users["norole"]).objects.create_superuser("root", password="x" * 12)
    assert scope(Organisation.objects.all(), root, Perm.ORG_CHANGE).count() == Organisation.objects.count()


def test_grant_is_computed_once_per_request_user(world, django_assert_num_queries):
    office = world.users["office"]
    grant_for(office, Perm.ORG_VIEW)
    with django_assert_num_queries(0):
        grant_for(office, Perm.ORG_VIEW)
        assert allowed(office, Perm.ORG_VIEW, world.cell_b)


def test_inactive_user_has_no_grant(world):
    office = world.users["office"]
    office.is_active = False
    assert grant_for(office, Perm.ORG_VIEW).party == ()


def test_upward_scope_also_reaches_the_organisations_above_but_not_their_other_branches(world):
    secretary = world.users["secretary"]
    above = names(scope(Organisation.objects.all(), secretary, Perm.ORG_VIEW, upward=True))
    assert above == {
        "Chi bộ Văn phòng",
        "Đảng bộ Cơ quan",
        "Đảng bộ Tổng công ty Thử nghiệm",
        "Đảng bộ Khối Thử nghiệm",
    }
    assert allowed(secretary, Perm.ORG_VIEW, world.bloc, upward=True)
    assert not allowed(secretary, Perm.ORG_VIEW, world.bloc)
    assert not allowed(secretary, Perm.ORG_VIEW, world.cell_b, upward=True)
    assert not scope(Organisation.objects.all(), world.users["norole"], Perm.ORG_VIEW, upward=True).exists()
