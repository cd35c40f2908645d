"""Badge candidates: the database's narrowing by milestone windows loses nobody."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from dangbo.members import selectors
from dangbo.members.models import PartyMember
from dangbo.members.services import member_admit, member_record_event
from dangbo.orgs import services as org_services
from dangbo.rules import membership

pytestmark = pytest.mark.django_db
D = dt.date


def _admit(world, name: str, admitted: dt.date) -> PartyMember:
    person = org_services.person_create(
        actor=None, full_name=name, birth_date=D(1940, 1, 1), organisation=world.cell_a
    )
    member = member_admit(
        actor=None, person=person, organisation=world.cell_a, admitted_on=admitted, higher_approval=True
    )
    member_record_event(actor=None, member=member, kind="full_member", on=membership.add_months(admitted, 12))
    return member


def _every_active_member_replayed(ceremony: dt.date) -> set[tuple[int, int, dt.date]]:
    """The answer without any narrowing: every active member, every milestone."""
    previous = membership.previous_ceremony(ceremony)
    found = set()
    for member in PartyMember.objects.filter(status__in=selectors.ACTIVE).prefetch_related("events"):
        state = selectors._state(member)
        assert state.admitted_on is not None
        for years in membership.BADGE_MILESTONES:
            due = membership.badge_date(state.admitted_on, years, state.gaps)
            if previous < due <= ceremony:
                found.add((member.pk, years, due))
    return found


@pytest.fixture
def admitted_around_milestones(world):
    made = []
    # On, just before and just after each window's edges for 30, 40 and 60 years, 29 February
    # (a badge then falls due on 28 February), and members whose gaps push them into a later window.
    for years in (30, 40, 60):
        for ceremony in (D(2026, 2, 3), D(2026, 5, 19), D(2026, 9, 2), D(2026, 11, 7)):
            edge = membership.add_months(ceremony, -12 * years)
            for shift in (-1, 0, 1):
                made.append(
                    _admit(
                        world, f"Đảng Viên {years} {ceremony:%m%d} {shift + 1}", edge + dt.timedelta(shift)
                    )
                )
    made.append(_admit(world, "Lê Thị Nhuận", D(1996, 2, 29)))
    made.append(_admit(world, "Lê Văn Nhuận", D(1988, 2, 29)))
    moved = _admit(world, "Hoàng Văn Chuyển", D(1996, 1, 20))
    member_record_event(actor=None, member=moved, kind="transfer_out", on=D(2000, 3, 1))
    member_record_event(
        actor=None, member=moved, kind="transfer_in", on=D(2000, 3, 31), to_organisation=world.cell_a
    )
    away = _admit(world, "Vũ Thị Vắng", D(1995, 11, 1))
    member_record_event(actor=None, member=away, kind="transfer_out", on=D(2001, 1, 1))
    member_record_event(
        actor=None, member=away, kind="transfer_in", on=D(2001, 7, 1), to_organisation=world.cell_a
    )
    return made


@pytest.mark.parametrize(
    "ceremony", [D(2026, 2, 3), D(2026, 5, 19), D(2026, 9, 2), D(2026, 11, 7), D(2027, 2, 3)]
)
def test_candidates_are_exactly_those_of_every_active_member_replayed(
    world, admitted_around_milestones, ceremony
):
    got = {
        (c.member.pk, c.years, c.due_on)
        for c in selectors.badge_candidates(world.users["office"], world.tct, ceremony)
    }
    expected = _every_active_member_replayed(ceremony)
    assert got == expected
    assert expected  # the fixture puts somebody into every one of these ceremonies


def test_the_gaps_and_29_february_land_where_the_rules_say(world, admitted_around_milestones):
    user = world.users["office"]
    names = {
        c.member.person.full_name: c.due_on
        for c in selectors.badge_candidates(user, world.tct, D(2026, 5, 19))
    }
    assert names["Hoàng Văn Chuyển"] == D(2026, 2, 19)  # 30 days outside move 20/01 to 19/02
    assert names["Lê Thị Nhuận"] == D(2026, 2, 28)  # 29/02/1996 + 30 years, 2026 has no 29 February
    assert names["Vũ Thị Vắng"] == D(2026, 4, 30)  # 181 days outside: 01/11/1995 counts from 30/04/1996


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_windows_are_read_through_the_party_age_index(world):
    from django.contrib.auth import get_user_model

    from dangbo.members.generate import generate_into_db

    tree = generate_into_db(3000, 7, D(2026, 11, 21))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PartyMember._meta.db_table}")
    root = get_user_model().objects.create_superuser("badges", password="x")
    plan = selectors._badge_queryset(root, tree, D(2026, 5, 19)).explain()
    assert "member_party_age_idx" in plan, plan


def test_the_badge_page_is_counted_and_paged_by_the_database(
    world, admitted_around_milestones, django_assert_max_num_queries
):
    from django.urls import reverse

    from tests.helpers import client_for

    client = client_for("office")
    url = reverse("members:badges", args=[world.tct.pk])
    with django_assert_max_num_queries(12):
        html = client.get(url, {"ngay": "2026-05-19"}).content.decode()
    listed = selectors.badge_candidates(world.users["office"], world.tct, D(2026, 5, 19))
    assert f"{listed.count()} đảng viên đến hạn" in html
    # Highest milestone first, then by given name.
    order = [(-c.years, c.member.person.sort_key) for c in listed]
    assert order == sorted(order) and {c.years for c in listed} >= {30, 40, 60}
