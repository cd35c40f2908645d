"""Writes to the trees, terms, posts and roles: valid ones are saved and audited, bad ones change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dangbo.core import audit
from dangbo.orgs import services
from dangbo.orgs.models import Appointment, CommitteeTerm, Organisation, Person
from tests.helpers import refused

pytestmark = pytest.mark.django_db

D = dt.date


def test_paths_follow_the_tree(world):
    assert world.cell_a.path == f"{world.grassroots.path}{world.cell_a.pk}/"
    assert world.cell_a.depth == 3
    assert world.cell_a.ancestor_ids() == [world.bloc.pk, world.tct.pk, world.grassroots.pk]


def test_search_text_is_folded(world):
    assert world.province.search_text == "buu dien thanh pho ha noi"


def test_wrong_kind_under_a_parent_is_refused_in_vietnamese(world):
    message = refused(
        "parent", services.organisation_create, actor=None, parent=world.cell_a, name="X", kind="cell"
    )
    assert "Chi bộ trực thuộc" in message and "Chi bộ Văn phòng" in message


def test_a_cell_cannot_sit_directly_under_the_bloc(world):
    refused("parent", services.organisation_create, actor=None, parent=world.bloc, name="X", kind="cell")


def test_unit_of_the_wrong_kind_as_parent_is_refused(world):
    refused(
        "parent", services.unit_create, actor=None, parent=world.dept_a, name="Bưu cục X", kind="post_office"
    )


def test_move_carries_the_whole_subtree(world):
    new_home = services.organisation_create(
        actor=None, parent=world.tct, name="Đảng bộ Mới", kind="grassroots"
    )
    services.organisation_move(actor=world.users["office"], organisation=world.cell_a, new_parent=new_home)
    world.cell_a.refresh_from_db()
    assert world.cell_a.parent == new_home
    assert world.cell_a.path == f"{new_home.path}{world.cell_a.pk}/"
    event = audit.history(world.cell_a).last()
    assert event.action == "organisation.move"
    assert event.before["parent_id"] == world.grassroots.pk and event.after["parent_id"] == new_home.pk


def test_moving_a_subtree_updates_descendant_paths_and_depths(world):
    upper2 = world.other_upper
    services.organisation_move(actor=None, organisation=world.grassroots, new_parent=upper2)
    for cell in (world.cell_a, world.cell_b):
        cell.refresh_from_db()
        assert cell.path.startswith(f"{upper2.path}{world.grassroots.pk}/")
        assert cell.depth == 3


def test_a_cycle_is_refused(world):
    message = refused(
        "parent",
        services.organisation_move,
        actor=None,
        organisation=world.grassroots,
        new_parent=world.grassroots,
    )
    assert "Đảng bộ Cơ quan" in message
    refused(
        "parent", services.organisation_move, actor=None, organisation=world.tct, new_parent=world.grassroots
    )
    world.tct.refresh_from_db()
    assert world.tct.parent == world.bloc


def test_merge_moves_children_and_people_and_keeps_the_source(world, person):
    target = services.organisation_create(
        actor=None, parent=world.tct, name="Đảng bộ Hợp nhất", kind="grassroots"
    )
    services.organisation_merge(
        actor=world.users["office"], source=world.grassroots, target=target, on=D(2026, 1, 1)
    )
    world.grassroots.refresh_from_db()
    world.cell_a.refresh_from_db()
    person.refresh_from_db()
    assert world.grassroots.dissolved_on == D(2026, 1, 1)
    assert world.grassroots.merged_into == target
    assert world.cell_a.parent == target
    assert Organisation.objects.filter(pk=world.grassroots.pk).exists()
    actions = [e.action for e in audit.history(world.grassroots)]
    assert actions[0] == "organisation.create" and actions[-1] == "organisation.merge"
    assert audit.history(target).last().action == "organisation.merge_in"


def test_merge_of_different_kinds_is_refused(world):
    refused(
        "target",
        services.organisation_merge,
        actor=None,
        source=world.cell_a,
        target=world.grassroots,
        on=D(2026, 1, 1),
    )


def test_overlapping_terms_are_refused(world):
    services.term_create(
        actor=None, organisation=world.tct, name="2020–2025", starts_on=D(2020, 8, 15), ends_on=D(2025, 7, 20)
    )
    services.term_create(actor=None, organisation=world.tct, name="2025–2030", starts_on=D(2025, 7, 21))
    message = refused(
        "starts_on",
        services.term_create,
        actor=None,
        organisation=world.tct,
        name="X",
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 1, 1),
    )
    assert "2020–2025" in message
    refused(
        "ends_on",
        services.term_create,
        actor=None,
        organisation=world.cell_a,
        name="X",
        starts_on=D(2025, 1, 1),
        ends_on=D(2024, 1, 1),
    )
    assert CommitteeTerm.objects.count() == 2


def test_concurrent_posts_of_one_person_are_allowed(world, person, position):
    services.appointment_create(
        actor=None,
        person=person,
        position=position("bi-thu"),
        organisation=world.tct,
        starts_on=D(2025, 7, 21),
    )
    services.appointment_create(
        actor=None,
        person=person,
        position=position("chu-tich-hdtv"),
        unit=world.corp,
        starts_on=D(2025, 7, 21),
    )
    services.appointment_create(
        actor=None,
        person=person,
        position=position("uy-vien-bch"),
        organisation=world.bloc,
        starts_on=D(2025, 1, 1),
    )
    assert Appointment.objects.filter(person=person).current(D(2026, 1, 1)).count() == 3


def test_a_post_held_twice_at_once_is_refused(world, person, position):
    services.appointment_create(
        actor=None,
        person=person,
        position=position("uy-vien-bch"),
        organisation=world.tct,
        starts_on=D(2025, 7, 21),
    )
    message = refused(
        "person",
        services.appointment_create,
        actor=None,
        person=person,
        position=position("uy-vien-bch"),
        organisation=world.tct,
        starts_on=D(2026, 1, 1),
    )
    assert "Trần Thị Thử" in message


def test_a_single_holder_post_cannot_have_two_holders(world, person, position):
    other = services.person_create(actor=None, full_name="Lê Văn Khác", organisation=world.cell_a)
    first = services.appointment_create(
        actor=None,
        person=person,
        position=position("bi-thu"),
        organisation=world.tct,
        starts_on=D(2025, 7, 21),
    )
    refused(
        "position",
        services.appointment_create,
        actor=None,
        person=other,
        position=position("bi-thu"),
        organisation=world.tct,
        starts_on=D(2026, 1, 1),
    )
    services.appointment_end(actor=None, appointment=first, ends_on=D(2025, 12, 31))
    services.appointment_create(
        actor=None, person=other, position=position("bi-thu"), organisation=world.tct, starts_on=D(2026, 1, 1)
    )


def test_party_post_must_be_in_a_party_organisation(world, person, position):
    refused(
        "organisation",
        services.appointment_create,
        actor=None,
        person=person,
        position=position("bi-thu"),
        unit=world.corp,
        starts_on=D(2026, 1, 1),
    )
    refused(
        "unit",
        services.appointment_create,
        actor=None,
        person=person,
        position=position("tong-giam-doc"),
        organisation=world.tct,
        starts_on=D(2026, 1, 1),
    )


def test_users_act_only_within_their_scope(world):
    secretary = world.users["secretary"]
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=secretary, organisation=world.cell_a, name="Đổi tên")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=world.users["outsider"], organisation=world.cell_a, name="Đổi tên")
    services.organisation_update(actor=world.users["office"], organisation=world.cell_a, name="Đổi tên")


def test_person_names_are_normalised_and_sortable(world):
    a = services.person_create(actor=None, full_name="  Nguyễn  Văn   Đức ", organisation=world.cell_a)
    services.person_create(actor=None, full_name="Trần Văn Dũng", organisation=world.cell_a)
    services.person_create(actor=None, full_name="Lê Thị Ánh", organisation=world.cell_a)
    assert a.full_name == "Nguyễn Văn Đức" and a.search_text == "nguyen van duc"
    ordered = list(Person.objects.filter(organisation=world.cell_a).values_list("full_name", flat=True))
    assert ordered == ["Lê Thị Ánh", "Trần Văn Dũng", "Nguyễn Văn Đức"]


def test_role_assignment_needs_role_manage(world):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=world.users["office"], user=world.users["norole"], organisation=world.cell_a, role="member"
        )
    services.role_assign(
        actor=world.users["sysadmin"], user=world.users["norole"], organisation=world.cell_a, role="member"
    )
    assert audit.history(world.users["norole"].role_assignments.get()).count() == 1


def test_two_active_siblings_cannot_share_a_name(world):
    message = refused(
        "name",
        services.organisation_create,
        actor=None,
        parent=world.grassroots,
        name="chi bộ  VĂN PHÒNG",
        kind="cell",
    )
    assert "Chi bộ Văn phòng" in message
    refused(
        "name", services.organisation_update, actor=None, organisation=world.cell_b, name="Chi bộ Văn phòng"
    )
    services.organisation_create(
        actor=None, parent=world.tct, name="Chi bộ Văn phòng", kind="grassroots_cell"
    )  # other level


def test_names_are_stored_in_nfc(world):
    import unicodedata

    org = services.organisation_create(
        actor=None, parent=world.grassroots, name=unicodedata.normalize("NFD", "Chi bộ Kỹ thuật"), kind="cell"
    )
    assert org.name == "Chi bộ Kỹ thuật" and unicodedata.is_normalized("NFC", org.name)
