"""The audit chain: every write is recorded, and any edit, removal or reordering is detected."""

from __future__ import annotations

import itertools
import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from dangbo.core import audit
from dangbo.core.models import AuditEvent, AuditHead
from dangbo.orgs import services
from dangbo.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[object]) -> None:
    """Edit the table by hand, as a database administrator could (bypassing the PG trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # superuser: triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_every_service_write_appends_one_linked_event(world):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    org_events = audit.history(world.cell_a)
    assert [e.action for e in org_events] == ["organisation.create", "organisation.units"]
    assert audit.verify() == (len(events), None)


def test_update_records_before_and_after(world):
    services.organisation_update(
        actor=world.users["office"], organisation=world.cell_b, name="Chi bộ Ban Kế hoạch"
    )
    event = audit.history(world.cell_b).last()
    assert event.action == "organisation.update"
    assert event.actor_label == "office"
    assert event.before["name"] == "Chi bộ Ban Đầu tư"
    assert event.after["name"] == "Chi bộ Ban Kế hoạch"
    assert event.party_path == world.cell_b.path


def test_verify_command_passes_on_an_intact_chain(world):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


def test_editing_one_event_by_hand_is_detected_and_named(world):
    victim = AuditEvent.objects.get(action="organisation.create", object_id=str(world.cell_b.pk))
    _tamper("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["Chi bộ Giả mạo", victim.pk])
    checked, broken = audit.verify()
    assert broken is not None and broken.seq == victim.seq
    assert checked == victim.seq - 1
    with pytest.raises(CommandError, match=f"event #{victim.seq} "):
        call_command("audit", "verify")


def test_editing_the_json_payload_is_detected(world):
    victim = AuditEvent.objects.filter(action="organisation.create").first()
    _tamper("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"name": "khác"}', victim.pk])
    assert audit.verify()[1].seq == victim.seq


def test_removing_an_event_is_detected(world):
    victim = AuditEvent.objects.order_by("seq")[3]
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    broken = audit.verify()[1]
    assert broken is not None and broken.seq == victim.seq
    assert "missing" in broken.reason


def test_removing_the_last_events_is_detected_by_the_head(world):
    last = AuditEvent.objects.order_by("-seq").first()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    broken = audit.verify()[1]
    assert broken is not None and broken.seq == last.seq


def test_reordering_two_events_is_detected(world):
    first, second = AuditEvent.objects.order_by("seq")[2:4]
    # Swap their positions in the chain (seq is unique, so go through a free number).
    _tamper("UPDATE core_auditevent SET seq = %s WHERE id = %s", [10**9, first.pk])
    _tamper("UPDATE core_auditevent SET seq = %s WHERE id = %s", [first.seq, second.pk])
    _tamper("UPDATE core_auditevent SET seq = %s WHERE id = %s", [second.seq, first.pk])
    assert audit.verify()[1].seq == first.seq


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL")
@pytest.mark.parametrize("sql", ["UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"])
def test_postgres_trigger_refuses_update_and_delete(world, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert audit.verify()[1] is None


def test_a_refused_write_leaves_no_event(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.organisation_create(actor=None, parent=world.cell_a, name="Chi bộ con", kind="cell")
    assert "parent" in refused.value.message_dict
    assert AuditEvent.objects.count() == before
    assert not Organisation.objects.filter(name="Chi bộ con").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL")
def test_concurrent_writes_never_fork_the_chain():
    root = services.organisation_create(actor=None, parent=None, name="Đảng bộ Khối", kind="bloc")
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            for j in range(5):
                services.organisation_create(actor=None, parent=root, name=f"Đảng bộ {i}-{j}", kind="upper")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == 31
    assert AuditHead.objects.get().seq == 31
    assert audit.verify() == (31, None)


def test_verify_passes_on_the_demo_and_names_the_event_edited_by_hand():
    from dangbo.orgs.demo import load_demo

    load_demo()  # with the meetings: their seals are verified too
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"{AuditEvent.objects.count()} events" in out.getvalue()
    victim = AuditEvent.objects.filter(action="appointment.create").order_by("seq")[5]
    _tamper("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"decision_no": "99-QĐ/ĐU"}', victim.pk])
    with pytest.raises(CommandError, match=rf"BROKEN at event #{victim.seq} \(id {victim.pk}\)"):
        call_command("audit", "verify")
