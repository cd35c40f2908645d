"""Register search at scale: through the table of distinct names (dangbo.orgs.names).

The names table must hold the name of every person after every kind of write (a missing name would
hide its people from a search of a large register), and each search strategy — row by row, through
the names, the people's own index — must find exactly what the plain register query finds.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangbo.members import selectors
from dangbo.members.generate import generate_into_db, write_csv
from dangbo.members.importer import import_members
from dangbo.members.services import member_admit
from dangbo.orgs import names
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation, Person, PersonName
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
D = dt.date

QUERIES = (
    "nguyen van",
    "Nguyễn Thị Hương",
    "nguyen thi huong",
    "le hoang",
    "thi",
    "duc",
    "ĐỨC",
    "tran van anh",
    "khong co ai",
    "a",
)


def name_rows() -> set[tuple[str, str]]:
    return set(PersonName.objects.values_list("sort_key", "search_text"))


def people_names() -> set[tuple[str, str]]:
    return set(Person.objects.values_list("sort_key", "search_text"))


def records_not_matching_their_person() -> int:
    """Member records whose copy of the folded name differs from their person's."""
    from dangbo.members.models import PartyMember

    return PartyMember.objects.exclude(search_text=F("person__search_text")).count()


@pytest.fixture
def tree(db):
    return generate_into_db(600, 5, timezone.localdate())


def test_every_kind_of_person_write_keeps_its_name(world, tree, tmp_path):
    assert people_names() <= name_rows() and len(name_rows()) > 100  # generated
    person = org_services.person_create(actor=None, full_name="Hà Thị Quế Lâm", organisation=world.cell_a)
    assert (person.sort_key, "ha thi que lam") in name_rows()
    org_services.person_update(actor=None, person=person, full_name="Hà Thị Quế Anh")
    assert (person.sort_key, "ha thi que anh") in name_rows()
    path = tmp_path / "dv.csv"
    write_csv(path, 50, [world.cell_b.pk], 9, timezone.localdate())
    report = import_members(path, actor=None)
    assert report.created == 50
    assert people_names() <= name_rows()
    # Each member record carries its person's folded name: generated, imported, admitted, renamed.
    admitted = member_admit(actor=None, person=person, organisation=world.cell_a, admitted_on=D(2010, 3, 1))
    assert admitted.search_text == "ha thi que anh"
    org_services.person_update(actor=None, person=person, full_name="Hà Thị Quế Chi")
    generated = Person.objects.filter(membership__isnull=False).exclude(pk=person.pk).first()
    org_services.person_update(actor=None, person=generated, full_name="Đinh Văn Đổi Tên")
    assert records_not_matching_their_person() == 0
    assert selectors.register(make_user("root", is_superuser=True), tree).filter(
        search_text="dinh van doi ten"
    )
    # A renamed person's old name stays until the nightly prune; then the table is exactly the people's.
    assert "ha thi que lam" in {text for _key, text in name_rows()}
    assert names.prune() >= 1
    assert name_rows() == people_names()
    PersonName.objects.all().delete()
    call_command("counts", "--rebuild", stdout=StringIO())
    assert name_rows() == people_names()


def page_of(register, size: int = 20) -> list[int]:
    return [m.pk for m in register[0:size]]


@pytest.mark.parametrize("scan_up_to, name_cap", [(10**9, 2000), (0, 2000), (0, 1)])
def test_each_search_strategy_finds_what_the_register_finds(tree, scan_up_to, name_cap, monkeypatch):
    """Row by row; through the names; and, past the names' cap, the people's own index."""
    monkeypatch.setattr(selectors, "SCAN_UP_TO", scan_up_to)
    monkeypatch.setattr(selectors, "NAME_CAP", name_cap)
    root = make_user("root", is_superuser=True)
    upper = Organisation.objects.get(parent=tree)
    found_any = 0
    for organisation in (tree, upper):
        for query in QUERIES:
            expected = selectors.register(root, organisation, query=query)
            page = selectors.register_for_page(root, organisation, query=query)
            assert (page.total, page.capped) == (min(expected.count(), 1001), expected.count() > 1000)
            assert page_of(page) == [m.pk for m in expected[0:20]], query
            found_any += page.total > 0
    assert found_any >= 10


def test_a_large_register_searches_the_names_first(tree, monkeypatch):
    monkeypatch.setattr(selectors, "SCAN_UP_TO", 300)  # the tree has 600 members, a cell ≈ 100
    root = make_user("root", is_superuser=True)
    with CaptureQueriesContext(connection) as queries:
        page = selectors.register_for_page(root, tree, query="nguyen thi huong")
        rows = page[0:20]
    words = ("nguyen", "thi", "huong")  # each word anywhere: "Nguyễn Thị Phương" too
    assert rows and all(all(w in m.person.search_text for w in words) for m in rows)
    assert any(PersonName._meta.db_table in q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= 6
    with CaptureQueriesContext(connection) as queries:
        selectors.register_for_page(root, Organisation.objects.filter(kind="cell").first(), query="nguyen")
    assert not any(PersonName._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_a_subtree_is_searched_in_its_member_rows_without_visiting_people(tree):
    root = make_user("root", is_superuser=True)
    upper = Organisation.objects.get(parent=tree)
    with CaptureQueriesContext(connection) as queries:
        page = selectors.register_for_page(root, upper, query="nguyen thi")
    matching = [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"].upper()]
    assert page.total > 0 and len(matching) == 1
    assert Person._meta.db_table not in matching[0] and PersonName._meta.db_table not in matching[0]


def test_a_scoped_user_finds_only_their_subtree_through_the_names(world, tree, monkeypatch):
    monkeypatch.setattr(selectors, "SCAN_UP_TO", 0)
    cell = Organisation.objects.filter(kind="cell", path__within=tree.path).order_by("pk").first()
    secretary = make_user("bt", role="cell_secretary", organisation=cell)
    for query in ("nguyen", "thi", "van"):
        page = selectors.register_for_page(secretary, tree, query=query)
        rows = page[0:1000]
        assert rows and {m.organisation_id for m in rows} == {cell.pk}
        assert page.total == selectors.register(secretary, tree, query=query).count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan of PostgreSQL")
def test_names_are_found_by_trigram_and_their_people_by_sort_key(tree):
    from dangbo.members.models import PartyMember

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    qs = PersonName.objects.filter(search_text__contains="hoang").filter(search_text__contains="le")
    assert "orgs_personname_search_trgm" in qs.explain()
    keys = names.matching(["nguyen", "thi", "huong"], 10)
    plan = PartyMember.objects.filter(person__sort_key__in=keys, org_path__within=tree.path).explain()
    assert "person_sort_key_idx" in plan, plan


def test_generated_names_are_as_varied_as_a_real_register():
    import random

    from dangbo.members.name_pool import draw_name
    from dangbo.orgs.demo import REAL_PEOPLE

    rng = random.Random(1)
    drawn = [draw_name(rng, "male" if i % 2 else "female") for i in range(20_000)]
    distinct = set(drawn)
    assert len(distinct) > 8_000  # ≈ 1 distinct name in 2 at this size, 1 in 7 at 6M
    assert not distinct & REAL_PEOPLE
    family = sum(name.startswith("Nguyễn ") for name in drawn) / len(drawn)
    assert 0.3 < family < 0.45  # Nguyễn ≈ 38 % of the population
    assert any(len(name.split()) == 4 for name in drawn)
