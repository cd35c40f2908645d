"""Two clerks never get the same number: real concurrent registrations on PostgreSQL (SQLite admits
one writer at a time, so there is nothing to race there)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from dangbo.core import audit
from dangbo.documents.models import Document, DocumentCounter
from tests.conftest import build_world
from tests.documents.conftest import TERM_1, D, own

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"),
]

CLERKS, EACH = 4, 3


def _race(job) -> list[BaseException]:
    barrier = threading.Barrier(CLERKS)
    errors: list[BaseException] = []

    def clerk(i: int) -> None:
        try:
            barrier.wait()
            job(i)
        except BaseException as exc:  # pragma: no cover - reported by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_clerks_registering_at_the_same_moment_get_distinct_numbers_in_sequence():
    from dangbo.orgs import services as org_services

    world = build_world()
    org_services.term_create(
        actor=None, organisation=world.tct, name="2020–2025", starts_on=TERM_1[0], ends_on=TERM_1[1]
    )
    office = world.users["office"]

    # The first round also races to create the sequence's counter row.
    def register(i: int) -> None:
        for j in range(EACH):
            own(
                world.tct,
                "NQ",
                D(2021, 3, 1 + j),
                actor=office,
                summary=f"Nghị quyết của văn thư {i}, lần {j}",
            )

    assert _race(register) == []
    numbers = sorted(Document.objects.filter(type_code="NQ").values_list("number", flat=True))
    assert numbers == list(range(1, CLERKS * EACH + 1))
    assert DocumentCounter.objects.get(type_code="NQ").last == CLERKS * EACH
    assert audit.verify()[1] is None


def test_the_same_number_typed_by_two_clerks_is_given_once():
    from dangbo.orgs import services as org_services

    world = build_world()
    org_services.term_create(
        actor=None, organisation=world.tct, name="2020–2025", starts_on=TERM_1[0], ends_on=TERM_1[1]
    )
    outcomes: list[str] = []

    def register(i: int) -> None:
        from django.core.exceptions import ValidationError

        try:
            own(
                world.tct,
                "KL",
                D(2021, 3, 1),
                actor=world.users["office"],
                number=35,
                summary=f"Kết luận {i}",
            )
            outcomes.append("given")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.message_dict["number"]))

    assert _race(register) == []
    assert outcomes.count("given") == 1
    assert len(outcomes) == CLERKS
    assert Document.objects.filter(type_code="KL", number=35).count() == 1
