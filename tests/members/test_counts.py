"""Kept member counts (dangbo.members.counts) always equal the live count, whatever changed.

Every test drives real writes (services, import, tree moves) and compares the kept counts with the
live grouped query over the members, for every organisation and for scoped users.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from dangbo.members import counts, services
from dangbo.members.importer import import_members
from dangbo.members.models import MemberCount, PartyMember
from dangbo.members.selectors import statistics, statistics_live
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation
from dangbo.rules.membership import add_months, probation_end
from tests.conftest import make_user
from tests.members.test_import import HEADER, write

pytestmark = pytest.mark.django_db
D = dt.date


def admit(world, name, cell, *, born, admitted, gender="male", ethnicity="Kinh", **record):
    person = org_services.person_create(
        actor=None, full_name=name, gender=gender, birth_date=born, organisation=cell
    )
    return services.member_admit(
        actor=None, person=person, organisation=cell, admitted_on=admitted, ethnicity=ethnicity, **record
    )


@pytest.fixture
def root(world):
    return make_user("root", is_superuser=True)


@pytest.fixture
def people(world):
    today = timezone.localdate()
    return [
        admit(
            world, "Nguyễn Văn Một", world.cell_a, born=add_months(today, -12 * 25), admitted=D(2023, 1, 5)
        ),
        admit(
            world,
            "Trần Thị Hai",
            world.cell_a,
            born=add_months(today, -12 * 45),
            admitted=D(2004, 6, 1),
            gender="female",
            ethnicity="Tày",
        ),
        admit(world, "Lê Văn Ba", world.cell_b, born=add_months(today, -12 * 62), admitted=D(1985, 2, 3)),
        admit(world, "Phạm Văn Bốn", world.other_cell, born=D(1970, 2, 28), admitted=D(1995, 9, 2)),
    ]


def assert_counts_are_live(user, *, on=None):
    on = on or timezone.localdate()
    for organisation in Organisation.objects.all():
        kept, live = counts.read(user, organisation, on), statistics_live(user, organisation, on)
        assert (kept.total, kept.by) == (live.total, live.by), organisation.name


def test_every_kind_of_write_keeps_the_counts_equal_to_the_live_count(world, root, people, tmp_path):
    one, two, three, _four = people
    assert_counts_are_live(root)
    services.member_record_event(actor=None, member=one, kind="full_member", on=probation_end(D(2023, 1, 5)))
    assert_counts_are_live(root)
    services.member_record_event(actor=None, member=two, kind="removed", on=D(2020, 1, 1))
    assert_counts_are_live(root)
    services.member_record_event(actor=None, member=three, kind="transfer_out", on=D(2021, 1, 1))
    services.member_record_event(
        actor=None, member=three, kind="transfer_in", on=D(2021, 2, 1), to_organisation=world.cell_a
    )
    assert_counts_are_live(root)
    org_services.person_update(actor=None, person=one.person, gender="female", birth_date=D(1960, 1, 1))
    assert_counts_are_live(root)
    org_services.organisation_move(actor=None, organisation=world.grassroots, new_parent=world.other_upper)
    assert PartyMember.objects.get(pk=one.pk).org_path.startswith(world.other_upper.path)
    assert_counts_are_live(root)
    admit(world, "Đỗ Thị Năm", world.cell_b, born=D(1990, 4, 4), admitted=D(2015, 4, 4), gender="female")
    org_services.organisation_merge(actor=None, source=world.cell_b, target=world.cell_a, on=D(2026, 1, 1))
    assert not PartyMember.objects.filter(organisation=world.cell_b).exists()
    assert_counts_are_live(root)
    cell = world.cell_a.pk
    report = import_members(
        write(
            tmp_path,
            [
                HEADER,
                f"Vũ Văn Sáu,15/03/1980,Nam,001080000666,,19/05/2005,19/05/2006,{cell},Mường",
                f"Hoàng Thị Bảy,02/09/1990,Nữ,001090000777,,03/02/2020,,{cell},Kinh",
            ],
        ),
        actor=None,
    )
    assert report.created == 2
    assert_counts_are_live(root)
    report = import_members(
        write(
            tmp_path,
            [HEADER, f"Vũ Văn Sáu,15/03/1980,Nam,001080000666,,19/05/2005,19/05/2006,{cell},Thái"],
            "v2.csv",
        ),
        actor=None,
    )
    assert report.updated == 1
    assert_counts_are_live(root)


def test_a_rebuild_finds_exactly_what_was_kept(world, people):
    def rows():
        return set(MemberCount.objects.values_list("organisation_id", "status", "dimension", "value", "n"))

    kept = rows()
    assert kept and ("dimension", "all") != ()
    counts.rebuild()
    assert rows() == kept


def test_scoped_users_get_their_part_only(world, people):
    secretary, office, outsider = (world.users[name] for name in ("secretary", "office", "outsider"))
    assert counts.read(secretary, world.grassroots, timezone.localdate()).total == 2  # cell A only
    assert counts.read(office, world.bloc, timezone.localdate()).total == 3  # not the other upper
    assert counts.read(outsider, world.tct, timezone.localdate()).total == 0
    for user in (secretary, office, outsider):
        assert_counts_are_live(user)


def test_age_bands_move_with_the_day_counting_only_who_crossed(world, root, people):
    # Phạm Văn Bốn, born 28/02/1970 and admitted 02/09/1995: 56 on 27/02/2026; party age 30 on 02/09/2025.
    counts.rebuild(D(2025, 9, 1))
    assert_counts_are_live(root, on=D(2025, 9, 1))
    assert {row[0] for row in counts.crossed(D(2025, 9, 1), D(2025, 9, 2))} == {world.other_cell.pk}
    assert_counts_are_live(root, on=D(2025, 9, 2))
    assert counts.counted_as_of() == D(2025, 9, 2)
    # The Lê Văn Ba of the fixture is 62 today; counting back a year is a crossing too.
    assert_counts_are_live(root, on=add_months(timezone.localdate(), -12 * 2))


def test_born_on_29_february_turns_a_year_older_on_28_february():
    # 60 on 28/02/2026 (29 February counts as 28 February in a non-leap year), not on 1 March.
    assert counts.band_of(D(1966, 2, 28), counts.AGE_BANDS, D(2026, 2, 27)) == 50
    assert counts.band_of(D(1966, 2, 28), counts.AGE_BANDS, D(2026, 2, 28)) == 60
    assert counts.band_of(None, counts.AGE_BANDS, D(2026, 2, 28)) == -1


def test_a_long_gap_counts_everything_again(world, root, people):
    counts.rebuild(D(2024, 1, 1))
    assert_counts_are_live(root, on=D(2025, 6, 1))  # more than a year: rebuilt, same figures


def test_the_page_reads_the_kept_counts_in_few_queries(world, people, django_assert_max_num_queries):
    counts.bring_up_to(timezone.localdate())
    with django_assert_max_num_queries(4):  # the counts' day, the grant (2) and the counts
        stats = statistics(world.users["office"], world.bloc, timezone.localdate())
    assert stats.total == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan of PostgreSQL")
def test_reading_the_counts_uses_their_index(world, people):
    from tests.orgs.test_indexes import plan_of

    plan = plan_of(MemberCount.objects.filter(organisation_id__in=[world.bloc.pk], status__in=counts.ACTIVE))
    assert "member_count_uniq" in plan, plan


def test_the_nightly_command_brings_the_counts_up_to_today(world, root, people):
    from io import StringIO

    from django.core.management import call_command

    counts.rebuild(D(2025, 1, 1))
    out = StringIO()
    call_command("counts", stdout=out)
    assert counts.counted_as_of() == timezone.localdate()
    assert "đã tính đến ngày" in out.getvalue()
    MemberCount.objects.all().delete()
    call_command("counts", "--rebuild", stdout=StringIO())
    assert_counts_are_live(root)


def test_generate_into_the_database_builds_a_party_shaped_tree_consistent_with_the_rules(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from dangbo.members.models import MemberEvent
    from dangbo.members.services import _events_of
    from dangbo.rules.membership import replay

    out = StringIO()
    call_command("generate", "--members", "1234", "--seed", "3", stdout=out, stderr=StringIO())
    assert "1.234 đảng viên giả lập" in out.getvalue()
    root = Organisation.objects.get(code="GL3")
    kinds = dict(
        Organisation.objects.filter(path__within=root.path)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    assert kinds == {"bloc": 1, "upper": 1, "grassroots": 1, "cell": 13}
    members = PartyMember.objects.filter(org_path__within=root.path)
    assert members.count() == 1234 and MemberEvent.objects.filter(member__in=members).count() > 1234
    for member in members.order_by("pk")[:50]:
        state = replay(_events_of(member))
        assert (state.status.value, state.admitted_on, state.full_on) == (
            member.status,
            member.admitted_on,
            member.full_on,
        )
        assert member.person.search_text == " ".join(member.person.search_text.split())
    root_user = make_user("root", is_superuser=True)
    assert counts.read(root_user, root, timezone.localdate()).total == 1234
    assert_counts_are_live(root_user)
    again = StringIO()
    call_command("generate", "--members", "10", "--seed", "3", "--out", str(tmp_path / "x.csv"), stdout=again)
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").count("\n") == 11


def test_the_register_counts_its_rows_from_the_kept_counts_or_up_to_a_cap(world, root, people, monkeypatch):
    from django.urls import reverse

    from dangbo.members import selectors
    from tests.helpers import client_for

    services.member_record_event(actor=None, member=people[1], kind="removed", on=D(2020, 1, 1))
    for user in (root, world.users["office"], world.users["secretary"], world.users["outsider"]):
        for organisation in Organisation.objects.all():
            for status in ("", "probationary", "removed", "full"):
                page = selectors.register_for_page(user, organisation, status=status)
                assert page.total == page.ids.count() and not page.capped
                expected = list(selectors.register(user, organisation, status=status)[:2])
                assert page[0:2] == expected
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1)
    found = selectors.register_for_page(root, world.bloc, query="van")
    assert (found.total, found.capped) == (1, True)
    assert found[0:5] == list(selectors.register(root, world.bloc, query="van")[:5])
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1000)
    few = selectors.register_for_page(root, world.bloc, query="van")
    assert not few.capped and few[0:5] == list(selectors.register(root, world.bloc, query="van")[:5])
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1)
    html = client_for("office").get(reverse("members:register", args=[world.tct.pk]), {"q": "van"}).content
    assert "hơn 1 đảng viên khớp" in html.decode()
    html = client_for("office").get(reverse("members:register", args=[world.tct.pk])).content.decode()
    assert "3 đảng viên" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan of PostgreSQL")
def test_finding_who_crossed_a_boundary_uses_the_date_indexes(world, people):
    sql, params = counts.crossing_sql(D(2026, 2, 27), D(2026, 2, 28))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_birth_idx" in plan and "member_party_age_idx" in plan, plan
