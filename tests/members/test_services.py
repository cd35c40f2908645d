"""Member records: admission and lifecycle events through the services — derived, audited, refused in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dangbo.core import audit
from dangbo.members import services
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs import services as org_services
from tests.helpers import refused

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def member(world, person):
    return services.member_admit(
        actor=world.users["secretary"],
        person=person,
        organisation=world.cell_a,
        admitted_on=D(2024, 3, 10),
        decision_no="12-QĐ/ĐU",
        issuer="Đảng ủy Cơ quan",
        national_id="001080012345",
        card_no="68123456",
    )


def test_admission_creates_a_probationary_member_with_its_event(member, person):
    assert member.status == "probationary" and member.admitted_on == D(2024, 3, 10)
    assert member.org_path == member.organisation.path
    assert list(member.events.values_list("kind", "decision_no")) == [("admitted", "12-QĐ/ĐU")]
    person.refresh_from_db()
    assert person.is_party_member
    event = audit.history(member).get()
    assert (
        event.action == "member.admit" and "national_id" not in event.after
    )  # identifiers stay out of the log
    assert member.masked_national_id == "•••••••••345"


def test_full_membership_is_dated_at_the_end_of_probation(world, member):
    services.member_record_event(
        actor=world.users["secretary"], member=member, kind="full_member", on=D(2025, 4, 2)
    )
    member.refresh_from_db()
    assert member.status == "full" and member.full_on == D(2025, 3, 10)


def test_an_impossible_event_is_refused_in_vietnamese_and_changes_nothing(world, member):
    message = refused(
        "kind", services.member_record_event, actor=None, member=member, kind="transfer_in", on=D(2025, 1, 1)
    )
    assert "Chuyển sinh hoạt đến" in message and "Đảng viên dự bị" in message
    assert MemberEvent.objects.filter(member=member).count() == 1
    message = refused(
        "kind", services.member_record_event, actor=None, member=member, kind="full_member", on=D(2024, 12, 1)
    )
    assert "12 tháng" in message


def test_admission_age_is_checked(world):
    young = org_services.person_create(
        actor=None, full_name="Lê Văn Trẻ", birth_date=D(2008, 6, 15), organisation=world.cell_a
    )
    refused(
        "admitted_on",
        services.member_admit,
        actor=None,
        person=young,
        organisation=world.cell_a,
        admitted_on=D(2026, 6, 14),
    )
    old = org_services.person_create(
        actor=None, full_name="Lê Văn Cao", birth_date=D(1960, 1, 1), organisation=world.cell_a
    )
    refused(
        "admitted_on",
        services.member_admit,
        actor=None,
        person=old,
        organisation=world.cell_a,
        admitted_on=D(2025, 1, 1),
    )
    admitted = services.member_admit(
        actor=None, person=old, organisation=world.cell_a, admitted_on=D(2025, 1, 1), higher_approval=True
    )
    assert admitted.status == "probationary"


def test_members_belong_to_a_cell_and_dates_are_not_in_the_future(world, person):
    refused(
        "organisation",
        services.member_admit,
        actor=None,
        person=person,
        organisation=world.grassroots,
        admitted_on=D(2024, 1, 1),
    )
    refused(
        "on",
        services.member_admit,
        actor=None,
        person=person,
        organisation=world.cell_a,
        admitted_on=D(2999, 1, 1),
    )


def test_a_bad_identity_number_is_refused(world, person):
    refused(
        "national_id",
        services.member_admit,
        actor=None,
        person=person,
        organisation=world.cell_a,
        admitted_on=D(2024, 1, 1),
        national_id="12345",
    )


def test_duplicate_card_or_identity_number_is_refused(world, member):
    other = org_services.person_create(actor=None, full_name="Phạm Thị Khác", organisation=world.cell_a)
    refused(
        "card_no",
        services.member_admit,
        actor=None,
        person=other,
        organisation=world.cell_a,
        admitted_on=D(2024, 1, 1),
        card_no="68123456",
    )
    refused(
        "national_id",
        services.member_admit,
        actor=None,
        person=other,
        organisation=world.cell_a,
        admitted_on=D(2024, 1, 1),
        national_id="001080012345",
    )


def test_transfer_between_cells_moves_the_record_and_its_scope(world, member):
    office = world.users["office"]
    services.member_record_event(actor=office, member=member, kind="full_member", on=D(2025, 3, 10))
    services.member_record_event(
        actor=office, member=member, kind="transfer_out", on=D(2025, 6, 1), other_party="Chi bộ Ban Đầu tư"
    )
    services.member_record_event(
        actor=office, member=member, kind="transfer_in", on=D(2025, 6, 10), to_organisation=world.cell_b
    )
    member.refresh_from_db()
    assert (
        member.status == "full"
        and member.organisation == world.cell_b
        and member.org_path == world.cell_b.path
    )
    assert [e.action for e in audit.history(member)] == [
        "member.admit",
        "member.full_member",
        "member.transfer_out",
        "member.transfer_in",
    ]


def test_only_roles_in_scope_may_write(world, member):
    with pytest.raises(PermissionDenied):
        services.member_record_event(
            actor=world.users["outsider"], member=member, kind="died", on=D(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.member_record_event(
            actor=world.users["member"], member=member, kind="died", on=D(2025, 1, 1)
        )
    assert PartyMember.objects.get(pk=member.pk).status == "probationary"


def test_a_record_is_corrected_audited_without_the_identity_number_and_recounted(world, member):
    from django.utils import timezone

    from dangbo.members import counts
    from dangbo.members.selectors import statistics_live

    office = world.users["office"]
    services.member_update(
        actor=office, member=member, ethnicity="  Tày ", national_id="001080099999", education="12/12"
    )
    member.refresh_from_db()
    assert (member.ethnicity, member.national_id, member.education) == ("Tày", "001080099999", "12/12")
    event = audit.history(member).last()
    assert event.action == "member.update"
    assert event.before["ethnicity"] == "" and event.after["ethnicity"] == "Tày"
    assert (event.before["national_id_last3"], event.after["national_id_last3"]) == ("345", "999")
    assert "001080099999" not in str(event.after) and "national_id" not in event.after
    today = timezone.localdate()
    kept = counts.read(world.users["office"], world.tct, today)
    assert kept.by["ethnicity"] == statistics_live(office, world.tct, today).by["ethnicity"]
    assert ("Tày", 1) in kept.by["ethnicity"]
    # Nothing changed: nothing written, nothing logged.
    before = audit.history(member).count()
    services.member_update(actor=office, member=member, ethnicity="Tày")
    assert audit.history(member).count() == before


def test_a_record_correction_is_refused_in_vietnamese_and_changes_nothing(world, member):
    other = org_services.person_create(actor=None, full_name="Phạm Thị Khác", organisation=world.cell_a)
    services.member_admit(
        actor=None, person=other, organisation=world.cell_a, admitted_on=D(2024, 1, 1), card_no="68000001"
    )
    message = refused("card_no", services.member_update, actor=None, member=member, card_no="68000001")
    assert "đã tồn tại" in message or "đã có" in message, message
    refused("national_id", services.member_update, actor=None, member=member, national_id="12345")
    refused("status", services.member_update, actor=None, member=member, status="full")
    with pytest.raises(PermissionDenied):
        services.member_update(actor=world.users["outsider"], member=member, ethnicity="Mường")
    member.refresh_from_db()
    assert (member.card_no, member.national_id, member.ethnicity) == ("68123456", "001080012345", "")


def test_an_event_date_is_corrected_with_a_reason_and_the_status_follows(world, member):
    office = world.users["office"]
    full = services.member_record_event(actor=office, member=member, kind="full_member", on=D(2025, 3, 10))
    admitted = member.events.get(kind="admitted")
    refused(
        "reason", services.member_correct_event, actor=office, event=admitted, reason=" ", on=D(2024, 2, 1)
    )
    services.member_correct_event(
        actor=office,
        event=admitted,
        reason="Nhập nhầm ngày theo quyết định",
        on=D(2024, 2, 1),
        decision_no="9-QĐ/ĐU",
    )
    member.refresh_from_db()
    # Full membership is dated at the end of the 12 months from the corrected admission.
    assert (member.admitted_on, member.full_on, member.status) == (D(2024, 2, 1), D(2025, 2, 1), "full")
    log = audit.history(member).last()
    assert log.action == "member.event_correct" and log.after["reason"] == "Nhập nhầm ngày theo quyết định"
    assert (log.before["event"]["on"], log.after["event"]["on"]) == ("2024-03-10", "2024-02-01")
    # A correction that makes the history impossible is refused and changes nothing.
    message = refused(
        "on", services.member_correct_event, actor=office, event=full, reason="x", on=D(2023, 1, 1)
    )
    assert message.startswith("Sau khi sửa, quá trình sinh hoạt theo thứ tự ngày không thể xảy ra:")
    refused("on", services.member_correct_event, actor=office, event=full, reason="x", on=D(2999, 1, 1))
    refused("kind", services.member_correct_event, actor=office, event=full, reason="x", kind="died")
    member.refresh_from_db()
    assert member.full_on == D(2025, 2, 1)


def test_only_the_latest_event_is_taken_back_never_the_admission(world, member):
    office = world.users["office"]
    services.member_record_event(actor=office, member=member, kind="full_member", on=D(2025, 3, 10))
    died = services.member_record_event(actor=office, member=member, kind="died", on=D(2025, 8, 1))
    member.refresh_from_db()
    assert member.status == "deceased"
    admitted = member.events.get(kind="admitted")
    refused("event", services.member_remove_event, actor=office, event=admitted, reason="nhầm")
    full = member.events.get(kind="full_member")
    message = refused("event", services.member_remove_event, actor=office, event=full, reason="nhầm")
    assert "mới nhất" in message
    refused("reason", services.member_remove_event, actor=office, event=died, reason="")
    with pytest.raises(PermissionDenied):
        services.member_remove_event(actor=world.users["outsider"], event=died, reason="nhầm")
    services.member_remove_event(actor=office, event=died, reason="Ghi nhầm hồ sơ")
    member.refresh_from_db()
    assert member.status == "full" and not member.events.filter(kind="died").exists()
    log = audit.history(member).last()
    assert log.action == "member.event_remove" and log.before["event"]["kind"] == "died"
