"""Subtree queries (`path__within`) are answered from an index on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from dangbo.core.scoping import scope
from dangbo.orgs.models import Organisation, Unit
from dangbo.rules.roles import Perm

pytestmark = pytest.mark.django_db


def plan_of(qs) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SET LOCAL enable_seqscan = off"
            )  # the test table is tiny; ask what the plan would be
        return qs.order_by().explain()


@pytest.mark.parametrize("model", [Organisation, Unit])
def test_scoped_subtree_query_uses_the_path_index(world, model):
    perm = Perm.ORG_VIEW if model is Organisation else Perm.UNIT_VIEW
    plan = plan_of(scope(model.objects.all(), world.users["office"], perm))
    if connection.vendor == "postgresql":
        # The C-collated path answers the range from the one unique index; no pattern-ops twin.
        assert "Index Cond" in plan and "path_uniq" in plan and "(path)::text >= " in plan, plan
    else:
        assert "SEARCH" in plan and "USING INDEX" in plan and "(path>? AND path<?)" in plan, plan


def test_within_selects_exactly_the_subtree(world):
    names = set(
        Organisation.objects.filter(path__within=world.grassroots.path).values_list("name", flat=True)
    )
    assert names == {"Đảng bộ Cơ quan", "Chi bộ Văn phòng", "Chi bộ Ban Đầu tư"}


def test_within_refuses_what_is_not_a_path(world):
    with pytest.raises(ValueError, match="materialised path"):
        list(Organisation.objects.filter(path__within="/1/2%"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL")
@pytest.mark.parametrize("model", [Organisation, Unit])
def test_accent_folded_search_uses_the_trigram_index(world, model):
    plan = plan_of(model.objects.filter(search_text__contains="ha noi"))
    assert "_search_trgm" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL")
def test_person_search_uses_the_trigram_index(world):
    from dangbo.orgs.models import Person

    plan = plan_of(Person.objects.filter(search_text__contains="nguyen van duc"))
    assert "orgs_person_search_trgm" in plan, plan


def test_a_member_register_of_a_subtree_uses_the_path_index(world):
    from dangbo.members.models import PartyMember

    plan = plan_of(PartyMember.objects.filter(org_path__within=world.grassroots.path, status="full"))
    if connection.vendor == "postgresql":
        assert "member_path_status_idx" in plan and "Index Cond" in plan, plan
    else:
        assert "USING INDEX member_path_status_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pattern-ops indexes exist on PostgreSQL")
def test_no_pattern_ops_twins_on_the_bulk_loaded_tables(world):
    """Each index costs every imported row; the paths, keys and sort keys need only one each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN "
            "('orgs_person', 'members_partymember', 'orgs_organisation', 'orgs_unit') AND indexname LIKE '%%_like'"
        )
        assert [name for (name,) in cursor.fetchall() if "sort_key" not in name or "person" in name] == []
