"""Bulk inserts for imports: ids allocated up front never collide with later ordinary inserts."""

from __future__ import annotations

import pytest

from dangbo.core import bulk
from dangbo.orgs import services
from dangbo.orgs.models import Person

pytestmark = pytest.mark.django_db


def test_reserved_ids_are_fresh_and_later_inserts_follow_them(world):
    before = services.person_create(actor=None, full_name="Trước Văn Một", organisation=world.cell_a)
    base = bulk.reserve_ids(Person, 3)
    ids = [base + 1, base + 2, base + 3]
    assert base >= before.pk
    written = bulk.insert(
        Person, [{"id": i, "full_name": f"Hàng {i}", "search_text": f"hang {i}"} for i in ids]
    )
    assert written == 3 and Person.objects.filter(pk__in=ids).count() == 3
    after = services.person_create(actor=None, full_name="Sau Văn Hai", organisation=world.cell_a)
    assert after.pk > max(ids)


def test_rows_get_the_field_defaults_and_the_database_numbers_rows_without_ids(world):
    bulk.insert(Person, [{"full_name": "Không Mã Số"}])
    person = Person.objects.get(full_name="Không Mã Số")
    assert person.pk and person.gender == "" and person.is_party_member is False and person.birth_date is None
    assert bulk.insert(Person, []) == 0
