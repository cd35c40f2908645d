"""Study services: assigning a document for study, cancelling, a member confirming, a secretary or the
office recording several members — every rule, and every refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dangbo.core.models import AuditEvent
from dangbo.documents import services, study
from dangbo.documents.models import StudyAssignment, StudyConfirmation
from dangbo.orgs import services as org_services
from tests.conftest import make_user
from tests.documents.conftest import outside
from tests.helpers import refused

pytestmark = pytest.mark.django_db
D = dt.date
DAY = dt.timedelta(days=1)


def assign(sw, world, actor=None, organisation=None, start=None, due=None, **extra):
    return study.study_assign(
        actor=actor if actor is not None else world.users["office"],
        document=extra.pop("document", sw.document),
        organisation=organisation or world.tct,
        start_on=start or sw.today,
        due_on=due or sw.today + 30 * DAY,
        **extra,
    )


# --- Assigning ---------------------------------------------------------------------------------


def test_the_office_assigns_a_document_to_its_subtree_and_the_write_is_audited(study_world, world):
    sw = study_world
    a = assign(sw, world, note="  Học  tập tại   chi bộ ")
    assert (a.organisation, a.org_path, a.start_on, a.due_on) == (
        world.tct,
        world.tct.path,
        sw.today,
        sw.today + 30 * DAY,
    )
    assert a.note == "Học tập tại chi bộ" and a.created_by == world.users["office"]
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_id, event.party_path) == ("study.assign", str(a.pk), world.tct.path)
    # a cell below the register reads the document too
    assert assign(sw, world, organisation=world.cell_b, start=sw.today + 40 * DAY, due=sw.today + 50 * DAY)


def test_a_start_up_to_thirty_days_ago_is_accepted(study_world, world):
    a = assign(study_world, world, start=study_world.today - 30 * DAY)
    assert a.start_on == study_world.today - 30 * DAY


@pytest.mark.parametrize(
    ("field", "kwargs", "words"),
    [
        ("start_on", {"start": None}, "ngày bắt đầu"),
        ("start_on", {"start_days": -31}, "quá 30 ngày"),
        ("due_on", {"due": None}, "thời hạn"),
        ("due_on", {"start_days": 10, "due_days": 5}, "trước ngày bắt đầu"),
        ("due_on", {"start_days": -20, "due_days": -1}, "đã qua"),
        ("due_on", {"due_days": 400}, "hơn một năm"),
        ("note", {"note": "x" * 501}, "500 ký tự"),
    ],
)
def test_bad_dates_and_notes_are_refused_naming_the_field(study_world, world, field, kwargs, words):
    sw = study_world
    start = sw.today + kwargs.pop("start_days", 0) * DAY
    due = sw.today + kwargs.pop("due_days", 30) * DAY
    call = {"start_on": start, "due_on": due, "note": kwargs.get("note", "")}
    if "start" in kwargs:
        call["start_on"] = kwargs["start"]
    if "due" in kwargs:
        call["due_on"] = kwargs["due"]
    message = refused(
        field,
        study.study_assign,
        actor=world.users["office"],
        document=sw.document,
        organisation=world.tct,
        **call,
    )
    assert words in message
    assert not StudyAssignment.objects.exists()


def test_a_withdrawn_document_is_not_assigned(study_world, world):
    services.document_withdraw(actor=None, document=study_world.document, reason="Nhầm")
    assert "đã bị thu hồi" in refused("document", assign, study_world, world)


def test_a_placeholder_is_not_assigned(study_world, world):
    placeholder = study_world.document.links_out.first()
    document = outside(world.tct, "10-CTr/ĐUK", D(2022, 1, 5), body="Thực hiện Chỉ thị số 05-CT/TW")
    placeholder = document.links_out.get().to_doc
    assert placeholder.registered is False
    assert "chỉ được biết qua trích dẫn" in refused(
        "document", assign, study_world, world, document=placeholder
    )


def test_a_document_is_studied_only_below_the_register_that_keeps_it(study_world, world):
    kept_below = outside(world.grassroots, "12-KH/ĐU", D(2022, 3, 1))
    message = refused("organisation", assign, study_world, world, document=kept_below, organisation=world.tct)
    assert "Đảng bộ Cơ quan" in message


def test_a_dissolved_organisation_is_refused(study_world, world):
    org_services.organisation_merge(
        actor=None, source=world.cell_b, target=world.cell_a, on=study_world.today
    )
    world.cell_b.refresh_from_db()
    assert "giải thể" in refused("organisation", assign, study_world, world, organisation=world.cell_b)


@pytest.mark.parametrize("where", ["tct", "grassroots", "cell_a", "bloc_office"])
def test_an_overlapping_open_assignment_of_the_same_document_and_subtree_is_refused(
    study_world, world, where
):
    sw = study_world
    assign(sw, world, organisation=world.grassroots, start=sw.today, due=sw.today + 30 * DAY)
    target = world.tct if where == "bloc_office" else getattr(world, where)
    message = refused(
        "organisation",
        assign,
        sw,
        world,
        organisation=target,
        start=sw.today + 30 * DAY,
        due=sw.today + 60 * DAY,
    )
    assert "09-CTr/ĐUK" in message and "Đảng bộ Cơ quan" in message


def test_the_same_document_may_be_studied_again_later_elsewhere_or_after_a_cancellation(study_world, world):
    sw = study_world
    first = assign(sw, world, organisation=world.cell_a, start=sw.today, due=sw.today + 10 * DAY)
    assert assign(sw, world, organisation=world.cell_b, start=sw.today, due=sw.today + 10 * DAY)  # beside it
    assert assign(sw, world, organisation=world.cell_a, start=sw.today + 11 * DAY, due=sw.today + 20 * DAY)
    study.study_cancel(actor=world.users["office"], assignment=first, reason="Giao nhầm thời hạn")
    assert assign(sw, world, organisation=world.cell_a, start=sw.today, due=sw.today + 5 * DAY)


@pytest.mark.parametrize("who", ["secretary", "member", "outsider", "norole", "inspection", "leader"])
def test_only_the_office_of_the_organisation_assigns(study_world, world, who):
    with pytest.raises(PermissionDenied):
        assign(study_world, world, actor=world.users[who])
    assert not StudyAssignment.objects.exists()


def test_a_confidential_document_needs_the_secret_permission(study_world, world):
    secret = outside(world.tct, "05-NQ/ĐUK", D(2022, 2, 2), secrecy="secret")
    sysadmin = world.users["sysadmin"]  # DOCUMENT_CHANGE everywhere, but no secrets
    assert "Không có văn bản này" in refused(
        "document", assign, study_world, world, actor=sysadmin, document=secret
    )
    assert assign(study_world, world, document=secret).document == secret  # the office reads it


# --- Cancelling -----------------------------------------------------------------------------------


def test_cancelling_keeps_the_assignment_and_its_confirmations(study_world, world):
    a = assign(study_world, world)
    study.study_confirm(actor=world.users["member"], assignment=a)
    study.study_cancel(actor=world.users["office"], assignment=a, reason="  Thay bằng kế hoạch mới ")
    a.refresh_from_db()
    assert a.cancelled_on == study_world.today and a.confirmations.count() == 1
    event = AuditEvent.objects.latest("seq")
    assert event.action == "study.cancel" and event.after["reason"] == "Thay bằng kế hoạch mới"
    assert "đã hủy" in refused(
        "assignment", study.study_cancel, actor=world.users["office"], assignment=a, reason="x"
    )


def test_cancelling_needs_a_reason_and_the_office(study_world, world):
    a = assign(study_world, world)
    assert "lý do" in refused(
        "reason", study.study_cancel, actor=world.users["office"], assignment=a, reason=" "
    )
    with pytest.raises(PermissionDenied):
        study.study_cancel(actor=world.users["secretary"], assignment=a, reason="x")
    assert StudyAssignment.objects.get().cancelled_on is None


# --- A member confirms ------------------------------------------------------------------------------


def test_a_member_confirms_once_for_today(study_world, world):
    a = assign(study_world, world)
    confirmation = study.study_confirm(actor=world.users["member"], assignment=a)
    assert (confirmation.member, confirmation.org_path, confirmation.studied_on, confirmation.channel) == (
        study_world.members["member"],
        world.cell_a.path,
        study_world.today,
        "self",
    )
    assert AuditEvent.objects.latest("seq").action == "study.confirm"
    message = refused("assignment", study.study_confirm, actor=world.users["member"], assignment=a)
    assert "đã xác nhận" in message and study_world.today.strftime("%d/%m/%Y") in message


def test_a_member_confirms_only_an_assignment_covering_their_cell(study_world, world):
    a = assign(study_world, world, organisation=world.cell_b)
    assert "Chi bộ Ban Đầu tư" in refused(
        "member", study.study_confirm, actor=world.users["member"], assignment=a
    )
    study.study_cancel(actor=world.users["office"], assignment=a, reason="Giao cả Đảng bộ")
    outside_tree = assign(study_world, world, organisation=world.tct)
    assert "chi bộ của đồng chí" in refused(
        "member", study.study_confirm, actor=world.users["outsider"], assignment=outside_tree
    )


def test_a_login_without_a_member_record_cannot_confirm(study_world, world):
    a = assign(study_world, world)
    assert "chưa gắn" in refused("member", study.study_confirm, actor=world.users["office"], assignment=a)


def test_a_removed_member_cannot_confirm(study_world, world):
    a = assign(study_world, world)
    user = make_user("daxoa")
    org_services.person_link_user(actor=None, person=study_world.members["removed"].person, user=user)
    assert "đang sinh hoạt" in refused("member", study.study_confirm, actor=user, assignment=a)


def test_a_cancelled_or_not_yet_started_study_cannot_be_confirmed(study_world, world):
    later = assign(study_world, world, start=study_world.today + 5 * DAY, due=study_world.today + 9 * DAY)
    assert "bắt đầu từ ngày" in refused(
        "assignment", study.study_confirm, actor=world.users["member"], assignment=later
    )
    study.study_cancel(actor=world.users["office"], assignment=later, reason="Hoãn")
    assert "đã bị hủy" in refused(
        "assignment", study.study_confirm, actor=world.users["member"], assignment=later
    )


def test_a_late_confirmation_is_accepted(study_world, world):
    a = assign(study_world, world, start=study_world.today - 20 * DAY, due=study_world.today)
    StudyAssignment.objects.filter(pk=a.pk).update(due_on=study_world.today - 2 * DAY)  # the deadline passed
    assert study.study_confirm(actor=world.users["member"], assignment=a).studied_on == study_world.today


# --- The secretary or the office records several members ---------------------------------------------


def test_the_secretary_records_the_cell_meeting(study_world, world):
    sw = study_world
    a = assign(sw, world, start=sw.today - 10 * DAY)
    met = sw.today - 3 * DAY
    rows = study.study_record(
        actor=world.users["secretary"],
        assignment=a,
        members=[sw.members["a3"], sw.members["secretary"].pk, sw.members["a3"]],  # duplicates ignored
        studied_on=met,
    )
    assert sorted(r.member.person.full_name for r in rows) == ["Lê Thị Cúc", "Trần Văn Bình"]
    assert {(r.studied_on, r.channel, r.recorded_by) for r in rows} == {
        (met, "meeting", world.users["secretary"])
    }
    assert (
        list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2]) == ["study.record"] * 2
    )


def test_the_office_records_members_of_several_cells(study_world, world):
    sw = study_world
    a = assign(sw, world)
    rows = study.study_record(
        actor=world.users["office"],
        assignment=a,
        members=[sw.members["a3"], sw.members["b1"]],
        studied_on=sw.today,
        channel="office",
    )
    assert {r.org_path for r in rows} == {world.cell_a.path, world.cell_b.path}


def test_a_batch_with_one_bad_member_writes_nothing_and_names_each_problem(study_world, world):
    sw = study_world
    a = assign(sw, world, organisation=world.grassroots)
    study.study_confirm(actor=world.users["member"], assignment=a)
    message = refused(
        "members",
        study.study_record,
        actor=world.users["office"],
        assignment=a,
        members=[sw.members["a3"], sw.members["member"], sw.members["removed"], 987654],
        studied_on=sw.today,
    )
    assert "Nguyễn Thị Lan đã xác nhận" in message
    assert "Đỗ Văn Hải không phải là đảng viên đang sinh hoạt" in message
    assert "987654" in message
    assert StudyConfirmation.objects.count() == 1


def test_the_secretary_records_only_members_of_their_cell(study_world, world):
    sw = study_world
    a = assign(sw, world)
    message = refused(
        "members",
        study.study_record,
        actor=world.users["secretary"],
        assignment=a,
        members=[sw.members["b1"]],
        studied_on=sw.today,
    )
    assert f"số {sw.members['b1'].pk}" in message and "Phạm Văn Dũng" not in message  # not revealed


def test_a_member_outside_the_assigned_subtree_is_refused(study_world, world):
    sw = study_world
    a = assign(sw, world, organisation=world.cell_b)
    message = refused(
        "members",
        study.study_record,
        actor=world.users["office"],
        assignment=a,
        members=[sw.members["a3"]],
        studied_on=sw.today,
    )
    assert "Lê Thị Cúc" in message and "Chi bộ Ban Đầu tư" in message


@pytest.mark.parametrize(
    ("field", "change", "words"),
    [
        ("studied_on", {"studied_on": None}, "ngày học tập"),
        ("studied_on", {"days": 1}, "tương lai"),
        ("studied_on", {"days": -11}, "trước khi bắt đầu"),
        ("channel", {"channel": "self"}, "hình thức"),
        ("members", {"members": []}, "ít nhất một"),
        ("members", {"members": list(range(1, study.BATCH_LIMIT + 2))}, "500"),
    ],
)
def test_bad_records_are_refused_naming_the_field(study_world, world, field, change, words):
    sw = study_world
    a = assign(sw, world, start=sw.today - 10 * DAY)
    call = {
        "actor": world.users["office"],
        "assignment": a,
        "members": change.get("members", [sw.members["a3"]]),
        "studied_on": change["studied_on"]
        if "studied_on" in change
        else sw.today + change.get("days", 0) * DAY,
        "channel": change.get("channel", "meeting"),
    }
    assert words in refused(field, study.study_record, **call)
    assert not StudyConfirmation.objects.exists()


def test_a_cancelled_assignment_takes_no_records(study_world, world):
    sw = study_world
    a = assign(sw, world)
    study.study_cancel(actor=world.users["office"], assignment=a, reason="Hủy")
    assert "đã bị hủy" in refused(
        "assignment",
        study.study_record,
        actor=world.users["office"],
        assignment=a,
        members=[sw.members["a3"]],
        studied_on=sw.today,
    )


def test_the_unique_constraint_is_the_last_guard(study_world, world):
    sw = study_world
    a = assign(sw, world)
    rows = [
        StudyConfirmation(
            assignment=a, member=sw.members["a3"], org_path=world.cell_a.path, studied_on=sw.today
        )
    ]
    study._save_confirmations(None, rows)
    events = AuditEvent.objects.count()
    again = [
        StudyConfirmation(
            assignment=a, member=sw.members["a3"], org_path=world.cell_a.path, studied_on=sw.today
        )
    ]
    with pytest.raises(Exception, match="vừa được"):
        from django.utils import translation

        with translation.override("vi"):
            study._save_confirmations(None, again)
    assert AuditEvent.objects.count() == events and StudyConfirmation.objects.count() == 1
