"""Meetings in calendar apps: the .ics writer read back by a small RFC 5545 parser (unfolded lines,
escaped text, 75-octet lines, UTF-8 never split), the meeting's .ics, and the private feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangbo.meetings import calendar, services
from dangbo.meetings.views_calendar import FEED_SALT, feed_token, months_back
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db

TRICKY = "Họp; bàn \\ phương án, “kế hoạch” năm 2026 — Đảng bộ"


# --- A small reader: what a calendar app does with the text --------------------------------------


def physical_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # CRLF only, never bare LF
    return lines


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def parse(raw: bytes) -> list[dict[str, str]]:
    """The VEVENTs as {property: raw value}, after unfolding; checks the octet limit on the way."""
    for line in physical_lines(raw):
        assert len(line) <= 75, line
        line.decode("utf-8")  # every physical line is whole UTF-8: no character split by folding
    text = raw.decode("utf-8").replace("\r\n ", "")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    events: list[dict[str, str]] = []
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and line != "END:VEVENT" and name not in events[-1]:
            events[-1][name] = value
    return events


# --- The writer ----------------------------------------------------------------------------------


def test_text_is_escaped_and_reads_back():
    text = "a\\b; c, d\ne\r\nf\x07"
    assert calendar.escape(text) == "a\\\\b\\; c\\, d\\ne\\nf"
    assert unescape(calendar.escape(text)) == "a\\b; c, d\ne\nf"


@pytest.mark.parametrize("text", ["ĐẢNG BỘ " * 30, "a" * 74 + "ệ" * 60, "x" * 75, "x" * 76, "🇻🇳" * 40])
def test_folding_keeps_lines_within_75_octets_and_characters_whole(text):
    line = "DESCRIPTION:" + text
    folded = calendar.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_not_folded():
    assert calendar.fold("SUMMARY:Họp chi bộ") == "SUMMARY:Họp chi bộ"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),
        (dt.date(2028, 5, 31), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 2, 15), 3, dt.date(2025, 11, 15)),
        (dt.date(2026, 1, 31), 1, dt.date(2025, 12, 31)),
    ],
)
def test_three_months_back(day, months, expected):
    assert months_back(day, months) == expected


# --- One meeting's .ics --------------------------------------------------------------------------


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_meeting_exports_as_an_event_that_reads_back(world, cell):
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = plan(
        world,
        cell,
        title=TRICKY,
        kind="cell_thematic",
        topic="Chuyển đổi số, an toàn thông tin",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        online_url="https://hop.example.vn/phong?id=1,2;3",
    )
    long_item = "Quán triệt Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo " * 3
    services.agenda_add(actor=world.users["secretary"], meeting=meeting, title="Kiểm điểm; đánh giá")
    services.agenda_add(actor=world.users["secretary"], meeting=meeting, title=long_item)
    response = _login(world.users["member"]).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="hop-{meeting.pk}.ics"' in response["Content-Disposition"]
    [event] = parse(response.content)
    assert unescape(event["SUMMARY"]) == TRICKY
    assert event["SUMMARY"].count("\\;") == 1 and event["SUMMARY"].count("\\,") == 1
    assert event["UID"] == f"meeting-{meeting.pk}@127.0.0.1"  # settings.SITE_URL's host
    assert event["DTSTART"] == starts.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] == (starts + dt.timedelta(hours=2)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert (event["STATUS"], event["SEQUENCE"]) == ("CONFIRMED", "0")
    assert unescape(event["LOCATION"]) == "Phòng họp tầng 3"
    assert event["URL"] == "https://hop.example.vn/phong?id=1,2;3"  # a URI is not escaped
    description = unescape(event["DESCRIPTION"]).split("\n")
    assert description == [
        "Chuyển đổi số, an toàn thông tin",
        "1. Kiểm điểm; đánh giá",
        f"2. {long_item.strip()}",
        f"http://testserver/hop/{meeting.pk}/",
    ]
    assert len(response.content.split(b"\r\n")) > 20  # the long description was folded
    # the same meeting keeps its UID whenever it is downloaded
    again = parse(_login(world.users["office"]).get(reverse("meetings:ics", args=[meeting.pk])).content)
    assert again[0]["UID"] == event["UID"]


def test_a_meeting_without_an_end_lasts_the_shortest_time_the_rules_allow(world, cell):
    meeting = plan(world, cell, ends_at=None, online_url="https://hop.example.vn/abc", place="")
    [event] = parse(_login(world.users["member"]).get(reverse("meetings:ics", args=[meeting.pk])).content)
    end = meeting.starts_at + dt.timedelta(minutes=90)
    assert event["DTEND"] == end.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["LOCATION"] == "https://hop.example.vn/abc"  # no place: the link is where it happens


def test_a_changed_then_cancelled_meeting_says_so_with_a_higher_sequence(world, cell):
    meeting = plan(world, cell)
    services.meeting_update(
        actor=world.users["secretary"],
        meeting=meeting,
        data=services.MeetingInput(
            kind=meeting.kind,
            starts_at=meeting.starts_at + dt.timedelta(days=1),
            place="Hội trường",
            chair=meeting.chair,
            secretary=meeting.secretary,
        ),
    )
    services.meeting_cancel(actor=world.users["secretary"], meeting=meeting, reason="Trùng lịch")
    [event] = parse(_login(world.users["member"]).get(reverse("meetings:ics", args=[meeting.pk])).content)
    assert (event["STATUS"], event["SEQUENCE"], event["LOCATION"]) == ("CANCELLED", "2", "Hội trường")


def test_the_ics_of_another_cells_meeting_is_not_found(world, cell):
    meeting = plan(world, cell)
    assert _login(world.users["outsider"]).get(reverse("meetings:ics", args=[meeting.pk])).status_code == 404
    assert Client().get(reverse("meetings:ics", args=[meeting.pk])).status_code == 302  # to the login


# --- The private feed ----------------------------------------------------------------------------


def test_the_feed_holds_only_the_users_meetings_of_the_last_three_months_and_to_come(world, cell):
    now = timezone.now()
    coming = plan(world, cell)
    recent = plan(world, cell, held=True, starts_at=now - dt.timedelta(days=60))
    plan(world, cell, held=True, starts_at=now - dt.timedelta(days=100))  # too old
    plan(world, cell, organisation=world.cell_b, actor=world.users["office"], chair=None, secretary=None)
    token = feed_token(cell.chair_user)
    response = Client().get(reverse("meetings:calendar_feed", args=[token]))  # no login
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse(response.content)
    assert [e["UID"].split("@")[0] for e in events] == [f"meeting-{recent.pk}", f"meeting-{coming.pk}"]
    # a member of cell B sees only cell B's meeting; a user with no member record an empty calendar
    b1 = get_user_model().objects.create_user("giang")
    from dangbo.orgs.services import person_link_user

    person_link_user(actor=None, person=cell.members["b1"].person, user=b1)
    assert len(parse(Client().get(reverse("meetings:calendar_feed", args=[feed_token(b1)])).content)) == 1
    empty = Client().get(reverse("meetings:calendar_feed", args=[feed_token(world.users["office"])]))
    assert empty.status_code == 200 and parse(empty.content) == []


def test_the_feed_costs_the_same_few_queries_for_many_meetings(world, cell, django_assert_max_num_queries):
    for n in range(15):
        plan(world, cell, starts_at=timezone.now() + dt.timedelta(days=2 + n))
    url = reverse("meetings:calendar_feed", args=[feed_token(cell.chair_user)])
    with django_assert_max_num_queries(4):  # the user, the meetings, their agendas, the sequences
        assert len(parse(Client().get(url).content)) == 15


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "1.abc",
        signing.Signer(salt="another-salt", sep=".").sign("1"),  # signed for something else
    ],
)
def test_a_bad_or_forged_token_is_not_found(world, cell, token):
    assert Client().get(reverse("meetings:calendar_feed", args=[token])).status_code == 404


def test_a_token_cannot_be_moved_to_another_user_and_dies_with_the_account(world, cell):
    token = feed_token(cell.chair_user)
    _, signature = token.split(".", 1)
    forged = f"{world.users['office'].pk}.{signature}"
    assert Client().get(reverse("meetings:calendar_feed", args=[forged])).status_code == 404
    assert signing.Signer(salt=FEED_SALT, sep=".").unsign(token) == str(cell.chair_user.pk)
    cell.chair_user.is_active = False
    cell.chair_user.save()
    assert Client().get(reverse("meetings:calendar_feed", args=[token])).status_code == 404


def test_the_calendar_page_shows_the_private_address_and_the_button(world, cell):
    response = _login(cell.chair_user).get(reverse("meetings:calendar"))
    assert response.status_code == 200
    feed = reverse("meetings:calendar_feed", args=[feed_token(cell.chair_user)])
    page = response.content.decode()
    assert f'value="http://testserver{feed}"' in page and f'href="webcal://testserver{feed}"' in page
    assert Client().get(reverse("meetings:calendar")).status_code == 302


def test_the_meeting_page_links_to_its_ics(world, cell):
    meeting = plan(world, cell)
    page = _login(world.users["member"]).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("meetings:ics", args=[meeting.pk])}"' in page
