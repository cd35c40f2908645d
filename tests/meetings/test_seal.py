"""Sealed minutes cannot be changed by any route: the services refuse (test_services), and past them
the database refuses every UPDATE, DELETE and INSERT — through a model's save(), a queryset update,
raw SQL — on the minutes, the meeting's recorded fields, its attendees, agenda, documents and votes,
and on an appended correction. Whoever drops the triggers is caught by `dangbo audit verify`."""

from __future__ import annotations

import importlib

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from dangbo.core import audit
from dangbo.meetings import services
from dangbo.meetings.models import AgendaItem, Attendee, Meeting, Minutes, MinutesAddendum, Vote
from tests.documents.conftest import outside
from tests.meetings.test_services import sealed_meeting

pytestmark = pytest.mark.django_db
seal_migration = importlib.import_module("dangbo.meetings.migrations.0002_seal_triggers")


def refused_by_database(change):
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        change()
    assert "sealed" in str(caught.value)


@pytest.fixture
def sealed(world, cell):
    meeting = sealed_meeting(world, cell)
    services.addendum_add(actor=cell.chair_user, meeting=meeting, text="Đính chính.", reason="Ghi nhầm")
    return meeting


def test_the_database_refuses_every_change_to_a_sealed_meeting(sealed, world):
    minutes = Minutes.objects.get(meeting=sealed)
    attendee = sealed.attendees.first()
    vote = sealed.votes.first()
    item = sealed.agenda.first()
    addendum = MinutesAddendum.objects.get(minutes=minutes)
    document = outside(world.tct, "09-CTr/ĐUK", minutes.opened_at.date())

    def save_minutes():
        minutes.conclusions = "Kết luận khác"
        minutes.save()

    def save_meeting():
        sealed.title = "Tên khác"
        sealed.save()

    changes = [
        save_minutes,
        lambda: Minutes.objects.filter(pk=minutes.pk).update(conclusions="Khác"),
        lambda: Minutes.objects.filter(pk=minutes.pk).update(sealed_at=None),
        # past Django's own PROTECT (the correction points at the minutes): the row itself
        lambda: Minutes.objects.filter(pk=minutes.pk)._raw_delete(connection.alias),
        save_meeting,
        lambda: Meeting.objects.filter(pk=sealed.pk).update(starts_at=sealed.starts_at.replace(year=2020)),
        lambda: Attendee.objects.filter(pk=attendee.pk).update(presence="unexcused"),
        # the committee's approval of an absence (migration 0003 rebuilt the table on SQLite)
        lambda: Attendee.objects.filter(pk=attendee.pk).update(absence_approved=True),
        lambda: Attendee.objects.filter(pk=attendee.pk).delete(),
        lambda: Attendee.objects.create(
            meeting=sealed, name="Người thêm", counted=True, voting=True, presence="present"
        ),
        lambda: Vote.objects.filter(pk=vote.pk).update(yes=1),
        lambda: Vote.objects.filter(pk=vote.pk).delete(),
        lambda: AgendaItem.objects.filter(pk=item.pk).update(title="Khác"),
        lambda: AgendaItem.objects.create(meeting=sealed, position=9, title="Thêm"),
        lambda: item.documents.add(document),
        lambda: MinutesAddendum.objects.filter(pk=addendum.pk).update(text="Khác"),
        lambda: MinutesAddendum.objects.filter(pk=addendum.pk).delete(),
    ]
    for change in changes:
        refused_by_database(change)
    with connection.cursor() as cursor:
        refused_by_database(lambda: cursor.execute("UPDATE meetings_minutes SET discussion = 'x'"))
    assert list(audit.verify_seals()) == []


def test_what_the_seal_does_not_cover_still_moves(sealed):
    # the organisation's path (a move in the tree) and the folded search text are not the record
    Meeting.objects.filter(pk=sealed.pk).update(org_path=sealed.org_path, search_text="tim kiem")
    assert Meeting.objects.get(pk=sealed.pk).search_text == "tim kiem"
    assert list(audit.verify_seals()) == []


def _drop_triggers():
    statements = seal_migration.sqlite_drop() if connection.vendor == "sqlite" else seal_migration.pg_drop()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def test_audit_verify_finds_a_change_made_behind_the_triggers(sealed):
    call_command("audit", "verify")  # intact
    _drop_triggers()  # rolled back with the test's transaction
    Attendee.objects.filter(meeting=sealed, presence="present").update(presence="unexcused")
    lines = audit.verify_seals()
    assert len(lines) == 1 and "no longer matches" in lines[0]
    with pytest.raises(CommandError, match="sealed records were altered"):
        call_command("audit", "verify")


def test_audit_verify_finds_a_rewritten_hash_and_a_removed_seal(sealed):
    _drop_triggers()
    minutes = Minutes.objects.get(meeting=sealed)
    Minutes.objects.filter(pk=minutes.pk).update(conclusions="Khác", content_hash="0" * 64)
    MinutesAddendum.objects.filter(minutes=minutes).update(text="Khác")
    lines = audit.verify_seals()
    assert any("differs from the one in the audit chain" in line for line in lines)
    assert any("correction no. 1" in line for line in lines)
    Minutes.objects.filter(pk=minutes.pk).update(sealed_at=None)
    assert any("no longer sealed" in line for line in audit.verify_seals())
