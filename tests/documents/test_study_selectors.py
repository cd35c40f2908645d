"""Study selectors: completion by organisation on a generated Party-shaped tree equals a brute-force
count at every level, in a fixed number of queries, from the indexes; a member's own studies; the
review figures; the reminders."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from dangbo.documents import study
from dangbo.documents.models import StudyAssignment, StudyConfirmation
from dangbo.members.generate import generate_into_db
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Organisation
from tests.conftest import make_user
from tests.documents.conftest import outside

pytestmark = pytest.mark.django_db
D = dt.date
DAY = dt.timedelta(days=1)


# --- A generated tree: 3,000 members in 30 cells, 1 upper, 1 grassroots … --------------------------


@pytest.fixture
def tree(db):
    """A generated tree (root → upper committees → grassroots committees → cells), a document in the
    root's register assigned to the whole tree, and about half of its members confirmed, some in
    each way; a few confirmations sit in a cell the member has since left."""
    today = timezone.localdate()
    root = generate_into_db(3000, 11, today)
    document = outside(root, "01-NQ/TW", D(2021, 1, 5))
    assignment = study.study_assign(
        actor=None, document=document, organisation=root, start_on=today - 20 * DAY, due_on=today + 3 * DAY
    )
    rng = random.Random(5)
    members = list(
        PartyMember.objects.filter(org_path__within=root.path).order_by("pk").values_list("pk", "org_path")
    )
    rows = [
        StudyConfirmation(
            assignment=assignment,
            member_id=pk,
            org_path=path,
            studied_on=today - rng.randint(0, 25) * DAY,  # some after the deadline would be late
            channel=rng.choice(["self", "meeting", "office"]),
        )
        for pk, path in members
        if rng.random() < 0.5
    ]
    StudyConfirmation.objects.bulk_create(rows)
    return root, assignment


def brute(assignment: StudyAssignment, organisation: Organisation) -> tuple[int, int]:
    """Members in activity now in the subtree, confirmations made in it: counted row by row."""
    members = sum(
        1
        for path, status in PartyMember.objects.values_list("org_path", "status")
        if path.startswith(organisation.path) and status in study.ACTIVE
    )
    confirmed = sum(
        1
        for path in StudyConfirmation.objects.filter(assignment=assignment).values_list("org_path", flat=True)
        if path.startswith(organisation.path)
    )
    return members, confirmed


def test_completion_equals_a_brute_force_count_at_every_level(tree):
    root, assignment = tree
    node, levels = root, 0
    while True:
        completion = study.study_completion(assignment, node)
        assert (completion.total.members, completion.total.confirmed) == brute(assignment, node), node.name
        children = list(Organisation.objects.filter(parent=node))
        assert [r.organisation.pk for r in completion.rows] == [
            c.pk for c in sorted(children, key=lambda c: (c.sort_key, c.pk))
        ]
        for row in completion.rows:
            assert (row.members, row.confirmed) == brute(assignment, row.organisation), row.organisation.name
        levels += 1
        if not completion.rows:
            break
        assert sum(r.members for r in completion.rows) == completion.total.members
        assert sum(r.confirmed for r in completion.rows) == completion.total.confirmed
        node = max(completion.rows, key=lambda r: r.members).organisation
    assert levels == 4 and study.has_own_members(node)  # root, upper, grassroots, cell
    people = study.cell_members(assignment, node)
    confirmed = set(
        StudyConfirmation.objects.filter(assignment=assignment, org_path=node.path).values_list(
            "member_id", flat=True
        )
    )
    assert {p.member.pk for p in people if p.confirmed} == confirmed
    assert len(people) == brute(assignment, node)[0]
    names = [p.member.person.sort_key for p in people]
    assert names == sorted(names)


def test_completion_follows_the_members_where_they_are_now_and_the_confirmations_where_they_were(tree):
    """A member who confirmed and then left: the confirmation stays in the old cell (where they
    studied), the member no longer counts there; the share never passes 100 %."""
    root, assignment = tree
    cell = Organisation.objects.filter(path__within=root.path, kind="cell").order_by("pk").first()
    confirmed = StudyConfirmation.objects.filter(assignment=assignment, org_path=cell.path)
    waiting = (
        PartyMember.objects.filter(org_path=cell.path).exclude(studies__assignment=assignment).order_by("pk")
    )
    StudyConfirmation.objects.bulk_create(  # everybody but one has studied …
        StudyConfirmation(
            assignment=assignment, member=m, org_path=cell.path, studied_on=timezone.localdate()
        )
        for m in list(waiting)[1:]
    )
    from dangbo.members import services as member_services

    for c in confirmed.select_related("member"):  # … and then left the Party
        member_services.member_record_event(
            actor=None, member=c.member, kind="removed", on=timezone.localdate()
        )
    row = study.study_completion(assignment, cell).total
    assert (row.members, row.confirmed) == brute(assignment, cell) == (1, confirmed.count())
    assert row.confirmed > row.members and row.percent == 100 and row.left == 0
    assert [p.member.pk for p in study.cell_members(assignment, cell)] == [waiting.first().pk]


def test_completion_reads_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    root, assignment = tree
    with django_assert_max_num_queries(3):
        completion = study.study_completion(assignment, root)
    children = [row.organisation for row in completion.rows]
    with django_assert_max_num_queries(2):
        study.study_completion(assignment, root, children=children)
    cell = Organisation.objects.filter(path__within=root.path, kind="cell").first()
    with django_assert_max_num_queries(1):
        study.cell_members(assignment, cell)
    with django_assert_max_num_queries(3):
        study.cells_behind(assignment)


def test_cells_behind_lists_the_cells_left_to_remind(tree):
    root, assignment = tree
    behind = study.cells_behind(assignment)
    expected = []
    for cell in Organisation.objects.filter(path__within=root.path, kind="cell"):
        members, confirmed = brute(assignment, cell)
        if members > confirmed:
            expected.append((cell.path, members, confirmed))
    assert [(r.organisation.path, r.members, r.confirmed) for r in behind] == sorted(expected)


def test_the_summary_counts_confirmations_on_time(tree):
    root, assignment = tree
    superuser = make_user("root", is_superuser=True)
    today = timezone.localdate()
    summary = study.study_summary(superuser, root, today - 30 * DAY, today)
    (row,) = summary.rows
    late = StudyConfirmation.objects.filter(assignment=assignment, studied_on__gt=assignment.due_on).count()
    assert (row.members, row.confirmed) == brute(assignment, root)
    assert row.on_time == row.confirmed - late
    assert summary.share == pytest.approx(100 * row.confirmed / row.members)
    # not in a period that ended before the start, nor one that starts after the deadline
    assert study.study_summary(superuser, root, today - 60 * DAY, today - 30 * DAY).rows == []
    assert study.study_summary(superuser, root, today + 4 * DAY, today + 9 * DAY).rows == []


def test_the_summary_reads_three_queries(tree, django_assert_max_num_queries):
    root, _assignment = tree
    superuser = make_user("root", is_superuser=True)
    today = timezone.localdate()
    superuser = type(superuser).objects.get(pk=superuser.pk)
    with django_assert_max_num_queries(3):
        study.study_summary(superuser, root, today - 30 * DAY, today)


# --- Indexes (PostgreSQL plans; SQLite's too) ------------------------------------------------------


def plan_of(qs) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are tiny
        return qs.explain()


def test_confirmations_are_grouped_from_the_assignment_path_index(tree):
    root, assignment = tree
    sql, params = study.confirmed_by_child_sql(assignment, root)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny
        explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        cursor.execute(f"{explain} {sql}", params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    if connection.vendor == "postgresql":
        # the index alone answers (no visit of the table): assignment and path are all it needs
        assert "Index Only Scan using study_conf_path_idx" in plan, plan
    else:
        assert "USING COVERING INDEX study_conf_path_idx" in plan, plan


def test_kept_counts_and_cell_lists_use_their_indexes(tree):
    root, _assignment = tree
    from dangbo.members.models import MemberCount

    counts = MemberCount.objects.filter(
        organisation_id__in=[root.pk], dimension="all", status__in=study.ACTIVE
    )
    plan = plan_of(counts)
    unique_index = (
        "member_count_uniq" if connection.vendor == "postgresql" else "sqlite_autoindex_members_membercount_1"
    )
    assert unique_index in plan, plan
    cell = Organisation.objects.filter(path__within=root.path, kind="cell").first()
    plan = plan_of(PartyMember.objects.filter(org_path=cell.path, status__in=study.ACTIVE))
    assert "member_path_status_idx" in plan, plan
    plan = plan_of(StudyAssignment.objects.filter(org_path__in=study.ancestors_and_self(cell.path)))
    assert "study_path_due_idx" in plan, plan


# --- Visibility, my studies, the organisation's list --------------------------------------------------


def test_assignments_are_read_below_and_in_the_subtree_and_secret_ones_only_with_the_permission(
    study_world, world
):
    sw = study_world
    office = world.users["office"]
    on_tct = study.study_assign(
        actor=office,
        document=sw.document,
        organisation=world.tct,
        start_on=sw.today,
        due_on=sw.today + 9 * DAY,
    )
    secret = outside(world.tct, "05-NQ/ĐUK", D(2022, 2, 2), secrecy="secret")
    on_cell = study.study_assign(
        actor=office, document=secret, organisation=world.cell_b, start_on=sw.today, due_on=sw.today + 9 * DAY
    )

    def seen(who):
        return set(study.assignments_visible(world.users[who]))

    assert seen("office") == {on_tct, on_cell}
    assert seen("member") == {on_tct}  # a cell member reads the committee's, not another cell's secret one
    assert seen("secretary") == {on_tct}
    assert seen("leader") == {on_tct, on_cell}  # leaders read secrets
    assert seen("outsider") == set() and seen("norole") == set()


def test_my_studies_sorts_todo_done_and_coming(study_world, world):
    sw = study_world
    office, member = world.users["office"], world.users["member"]
    second = outside(world.tct, "28/CT-TTg", D(2021, 10, 26))
    third = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    fourth = outside(world.tct, "12-CT/TW", D(2022, 5, 19), secrecy="secret")
    due_soon = study.study_assign(
        actor=office,
        document=sw.document,
        organisation=world.tct,
        start_on=sw.today - 5 * DAY,
        due_on=sw.today + 2 * DAY,
    )
    done = study.study_assign(
        actor=office,
        document=second,
        organisation=world.cell_a,
        start_on=sw.today,
        due_on=sw.today + 20 * DAY,
    )
    coming = study.study_assign(
        actor=office,
        document=third,
        organisation=world.grassroots,
        start_on=sw.today + 3 * DAY,
        due_on=sw.today + 20 * DAY,
    )
    confidential = study.study_assign(
        actor=office, document=fourth, organisation=world.tct, start_on=sw.today, due_on=sw.today + 30 * DAY
    )
    elsewhere = study.study_assign(
        actor=office,
        document=second,
        organisation=world.cell_b,
        start_on=sw.today,
        due_on=sw.today + 20 * DAY,
    )
    study.study_confirm(actor=member, assignment=done)
    mine = study.my_studies(member)
    assert mine.member == sw.members["member"]
    assert [s.assignment for s in mine.todo] == [due_soon, confidential]
    assert [s.assignment for s in mine.done] == [done] and [s.assignment for s in mine.upcoming] == [coming]
    assert [s.assignment for s in mine.due_soon] == [due_soon]
    assert mine.todo[0].readable and not mine.todo[1].readable  # a member does not read secret documents
    assert elsewhere not in {s.assignment for s in mine.todo + mine.done + mine.upcoming}
    assert study.my_studies(world.users["office"]).member is None


def test_an_organisation_sees_the_studies_covering_it_and_those_inside_it(study_world, world):
    sw = study_world
    office = world.users["office"]
    on_tct = study.study_assign(
        actor=office,
        document=sw.document,
        organisation=world.tct,
        start_on=sw.today - DAY,
        due_on=sw.today + 3 * DAY,
    )
    second = outside(world.tct, "28/CT-TTg", D(2021, 10, 26))
    on_cell = study.study_assign(
        actor=office,
        document=second,
        organisation=world.cell_b,
        start_on=sw.today,
        due_on=sw.today + 30 * DAY,
    )
    study.study_record(
        actor=office, assignment=on_tct, members=[sw.members["b1"], sw.members["member"]], studied_on=sw.today
    )
    figures = {f.assignment: f for f in study.open_studies(office, world.grassroots)}
    assert (figures[on_tct].organisation, figures[on_tct].members, figures[on_tct].confirmed) == (
        world.grassroots,
        5,
        2,
    )
    assert (figures[on_cell].organisation, figures[on_cell].members, figures[on_cell].confirmed) == (
        world.cell_b,
        2,
        0,
    )
    assert [f.assignment for f in study.due_soon(office, world.grassroots)] == [on_tct]
    study.study_record(
        actor=office,
        assignment=on_tct,
        members=[sw.members["secretary"], sw.members["a3"], sw.members["b2"]],
        studied_on=sw.today,
    )
    assert study.due_soon(office, world.grassroots) == []  # complete: nobody to remind
    with pytest.raises(PermissionDenied):
        study.open_studies(world.users["outsider"], world.grassroots)
