"""Party badges recorded as given: one per member and milestone, only once due, never ahead of the day; the
candidates list leaves out those already given; the page, the card and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from dangbo.core.models import AuditEvent
from dangbo.members import selectors, services
from dangbo.members.models import BadgeAward, PartyMember
from dangbo.members.services import member_admit, member_record_event
from dangbo.orgs import services as org_services
from dangbo.rules import membership
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _admit(world, name: str, admitted: dt.date) -> PartyMember:
    person = org_services.person_create(
        actor=None, full_name=name, birth_date=dt.date(1950, 1, 1), organisation=world.cell_a
    )
    member = member_admit(
        actor=None, person=person, organisation=world.cell_a, admitted_on=admitted, higher_approval=True
    )
    member_record_event(actor=None, member=member, kind="full_member", on=membership.add_months(admitted, 12))
    return member


@pytest.fixture
def ceremony():
    """The latest ceremony on or before the suite's day (the badges of a past ceremony are recorded)."""
    return membership.previous_ceremony(timezone.localdate() + dt.timedelta(days=1))


@pytest.fixture
def due(world, ceremony):
    """Two members whose 30-year badge fell due ten days before the ceremony, one due only after it."""
    thirty = membership.add_months(ceremony, -12 * 30) - dt.timedelta(days=10)
    return {
        "an": _admit(world, "Nguyễn Văn An", thirty),
        "binh": _admit(world, "Trần Thị Bình", thirty),
        "later": _admit(
            world, "Lê Văn Muộn", membership.add_months(ceremony, -12 * 30) + dt.timedelta(days=40)
        ),
    }


def _award(world, ceremony, *grants, **extra):
    return services.badges_award(
        actor=world.users["office"],
        grants=[services.BadgeGrant(m, years) for m, years in grants],
        awarded_on=extra.pop("awarded_on", ceremony),
        decision_no=extra.pop("decision_no", "125-QĐ/TU"),
        issuer="Đảng ủy Tổng công ty",
        **extra,
    )


def _refusal(call, *args, **kwargs) -> dict[str, list[str]]:
    events, awards = AuditEvent.objects.count(), BadgeAward.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        call(*args, **kwargs)
    assert AuditEvent.objects.count() == events and BadgeAward.objects.count() == awards
    return exc.value.message_dict


def test_badges_given_are_recorded_audited_and_leave_the_candidates_list(world, ceremony, due):
    candidates = {c.member.pk for c in selectors.badge_candidates(world.users["office"], world.tct, ceremony)}
    assert {due["an"].pk, due["binh"].pk} <= candidates
    awards = _award(world, ceremony, (due["an"], 30))
    assert [(a.member_id, a.years, a.awarded_on, a.decision_no) for a in awards] == [
        (due["an"].pk, 30, ceremony, "125-QĐ/TU")
    ]
    assert AuditEvent.objects.filter(action="member.badge_award", object_id=str(awards[0].pk)).exists()
    left = {c.member.pk for c in selectors.badge_candidates(world.users["office"], world.tct, ceremony)}
    assert due["an"].pk not in left and due["binh"].pk in left


def test_a_badge_is_given_once_only_when_due_and_never_ahead_all_or_nothing(world, ceremony, due):
    _award(world, ceremony, (due["an"], 30))
    errors = _refusal(_award, world, ceremony, (due["binh"], 30), (due["an"], 30))
    assert any("Nguyễn Văn An đã được trao Huy hiệu 30 năm tuổi Đảng" in e for e in errors["members"])
    assert not BadgeAward.objects.filter(member=due["binh"]).exists()  # the good one waits for the bad one
    later_on = membership.add_months(ceremony, -12 * 30) + dt.timedelta(days=40)
    errors = _refusal(_award, world, ceremony, (due["later"], 30))
    assert errors["members"] == [
        f"Đồng chí Lê Văn Muộn đến ngày {membership.add_months(later_on, 12 * 30):%d/%m/%Y} mới đủ 30 năm tuổi Đảng."
    ]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert (
        "chưa đến"
        in _refusal(_award, world, ceremony, (due["binh"], 30), awarded_on=tomorrow)["awarded_on"][0]
    )
    assert (
        "số quyết định"
        in _refusal(_award, world, ceremony, (due["binh"], 30), decision_no="  ")["decision_no"][0]
    )
    assert "mốc huy hiệu" in _refusal(_award, world, ceremony, (due["binh"], 33))["members"][0]


def test_the_office_records_badges_from_the_ceremony_list(world, ceremony, due):
    client = client_for("office")
    url = reverse("members:badges", args=[world.tct.pk])
    # the page offers the last ceremonies too: the badges given there are recorded from its list
    assert f'<option value="{ceremony.isoformat()}"' in client.get(url).content.decode()
    page = client.get(url, {"ngay": ceremony.isoformat()}).content.decode()
    assert f'value="{due["an"].pk}:30"' in page and "Ghi nhận đã trao" in page
    post = reverse("members:badges_award", args=[world.tct.pk])
    bad = client.post(
        post, {"grant": [f"{due['an'].pk}:30"], "awarded_on": ceremony.isoformat(), "decision_no": ""}
    )
    assert (
        bad.status_code == 400 and "Số quyết định" in bad.content.decode() and not BadgeAward.objects.exists()
    )
    assert "checked" in bad.content.decode()  # the ticks survive the refusal
    response = client.post(
        post,
        {
            "grant": [f"{due['an'].pk}:30", f"{due['binh'].pk}:30"],
            "awarded_on": ceremony.isoformat(),
            "decision_no": "125-QĐ/TU",
        },
    )
    assert response.status_code == 302 and BadgeAward.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận trao 2 huy hiệu." in page
    assert f'value="{due["an"].pk}:30"' not in page and "Huy hiệu đã ghi nhận trao ngày" in page
    card = client.get(reverse("members:card", args=[due["an"].pk])).content.decode()
    assert f"30 năm, trao ngày {ceremony:%d/%m/%Y} (quyết định số 125-QĐ/TU)" in card
    forged = client.post(post, {"grant": ["abc"], "awarded_on": ceremony.isoformat(), "decision_no": "1"})
    assert forged.status_code == 400 and "Chọn đảng viên trong danh sách" in forged.content.decode()


def test_a_plain_member_sees_the_list_without_the_form_and_cannot_record(world, ceremony, due):
    member = client_for("member")
    page = member.get(reverse("members:badges", args=[world.cell_a.pk]), {"ngay": ceremony.isoformat()})
    if page.status_code == 200:
        assert 'name="grant"' not in page.content.decode()
    response = member.post(
        reverse("members:badges_award", args=[world.cell_a.pk]),
        {"grant": [f"{due['an'].pk}:30"], "awarded_on": ceremony.isoformat(), "decision_no": "1"},
    )
    assert response.status_code in (403, 404) and not BadgeAward.objects.exists()


def test_the_api_lists_and_records_a_badge(world, ceremony, due):
    client = client_for("office")
    url = reverse("member-badges", args=[due["an"].pk])
    created = client.post(
        url,
        {"years": 30, "awarded_on": ceremony.isoformat(), "decision_no": "125-QĐ/TU"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["years"] == 30
    assert [b["decision_no"] for b in client.get(url).json()] == ["125-QĐ/TU"]
    again = client.post(
        url,
        {"years": 30, "awarded_on": ceremony.isoformat(), "decision_no": "2"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "đã được trao" in str(again.json())
