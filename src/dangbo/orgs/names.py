"""The distinct names people bear (`PersonName`), searched before the people themselves.

Person writers keep it: a service that saves a person calls `add`, a bulk writer (import, generated
register) calls `add_people` for its block of ids. Names are only ever added while people are
written; `prune` (nightly, `dangbo counts`) removes those nobody bears any more. A name missing here
would hide its people from a search of a large register, so tests compare the table with the
people after every kind of write.
"""

from __future__ import annotations

from django.db import connection

from dangbo.orgs.models import Person, PersonName

NAMES = PersonName._meta.db_table
PEOPLE = Person._meta.db_table


def add(sort_key: str, search_text: str) -> None:
    PersonName.objects.bulk_create(
        [PersonName(sort_key=sort_key, search_text=search_text)], ignore_conflicts=True
    )


def add_people(first_id: int, last_id: int) -> None:
    """The names of the people with ids first_id…last_id (a bulk writer's block), in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NAMES} (sort_key, search_text) SELECT DISTINCT sort_key, search_text "
            f"FROM {PEOPLE} WHERE id BETWEEN %s AND %s ON CONFLICT DO NOTHING",
            [first_id, last_id],
        )


def rebuild() -> None:
    """Every name borne by somebody, and only those."""
    prune()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NAMES} (sort_key, search_text) SELECT DISTINCT sort_key, search_text "
            f"FROM {PEOPLE} WHERE 1 = 1 ON CONFLICT DO NOTHING"  # WHERE: SQLite would read ON as a join
        )


def prune() -> int:
    """Drop the names nobody bears any more (after renames); returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {NAMES} WHERE NOT EXISTS (SELECT 1 FROM {PEOPLE} p "
            f"WHERE p.sort_key = {NAMES}.sort_key AND p.search_text = {NAMES}.search_text)"
        )
        return int(cursor.rowcount)


def matching(words: list[str], limit: int) -> list[str]:
    """Sort keys of up to `limit` names containing every folded word."""
    qs = PersonName.objects.all()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return list(qs.values_list("sort_key", flat=True)[:limit])
