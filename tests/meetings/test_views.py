"""The meeting pages as a cell secretary, a chair and a minutes secretary use them: plan, record who
came (the page says whether the meeting is valid), vote, write the minutes, sign, seal; after the
seal every form is refused and only a signed correction can be appended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.meetings.models import Meeting, Minutes
from tests.helpers import client_for
from tests.meetings.conftest import mark

pytestmark = pytest.mark.django_db


def _login(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_secretary_runs_a_meeting_from_plan_to_sealed_minutes(world, cell):
    office = client_for("secretary")
    day = timezone.localdate() + dt.timedelta(days=7)
    response = office.post(
        reverse("meetings:create") + f"?to-chuc={world.cell_a.pk}",
        {
            "organisation": world.cell_a.pk,
            "kind": "cell_thematic",
            "day": day.isoformat(),
            "start": "14:00",
            "end": "16:00",
            "topic": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            "place": "Hội trường",
            "chair": cell.members["chair"].person.pk,
            "secretary": cell.members["minutes"].person.pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.attendees.count() == 7
    page = office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Sinh hoạt chi bộ chuyên đề" in page and "Chưa điểm danh đủ." in page

    # the meeting took place: move it to two hours ago (as if the week had passed)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=None
    )
    marks = mark(meeting, **{"Lê Thị Cúc": "excused"})
    data = {f"p{pk}": presence for pk, (presence, _reason, _approved) in marks.items()}
    data |= {f"r{pk}": reason for pk, (_presence, reason, _approved) in marks.items()}
    assert office.post(reverse("meetings:attendance", args=[meeting.pk]), data).status_code == 302
    page = office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    # one absent with a reason still counts as summoned: 6 of 7, more than half is 4
    assert "Hợp lệ: 6/7 đảng viên có mặt (cần 4)." in page

    response = office.post(
        reverse("meetings:vote", args=[meeting.pk]),
        {
            "subject": "Thông qua nghị quyết chuyên đề",
            "matter": "resolution",
            "yes": 9,
            "no": 0,
            "abstain": 0,
        },
    )
    assert response.status_code == 400 and "mỗi người biểu quyết một lần" in response.content.decode()
    assert not meeting.votes.exists()
    office.post(
        reverse("meetings:vote", args=[meeting.pk]),
        {
            "subject": "Thông qua nghị quyết chuyên đề",
            "matter": "resolution",
            "yes": 5,
            "no": 0,
            "abstain": 0,
        },
    )
    assert meeting.votes.get().passed

    minutes_secretary = _login(cell.secretary_user)
    start = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    response = minutes_secretary.post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {
            "opened_day": start.date().isoformat(),
            "opened": start.strftime("%H:%M"),
            "place": "Hội trường",
            "proceedings": "Đồng chí Bí thư quán triệt chuyên đề.",
            "conclusions": "Chi bộ thống nhất đăng ký việc làm theo gương Bác.",
        },
    )
    assert response.status_code == 302
    before = minutes_secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Ký với tư cách thư ký" in before
    minutes_secretary.post(reverse("meetings:sign", args=[meeting.pk]))
    after = minutes_secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert (
        "Ký với tư cách thư ký" not in after and "Đồng chí đã ký bản biên bản này" in after
    )  # no second click
    _login(cell.chair_user).post(reverse("meetings:sign", args=[meeting.pk]))
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.sealed
    page = office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Đã niêm phong" in page and minutes.content_hash in page
    assert "Lưu điểm danh" not in page  # no form any more

    # every form is refused after the seal, and nothing changes
    response = office.post(
        reverse("meetings:attendance", args=[meeting.pk]), data | {next(iter(data)): "unexcused"}
    )
    assert response.status_code == 400 and "niêm phong" in response.content.decode()
    assert minutes_secretary.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 302
    chair = _login(cell.chair_user)
    response = chair.post(
        reverse("meetings:addendum", args=[meeting.pk]),
        {"text": "Bổ sung ý kiến của đồng chí Cúc.", "reason": "Thiếu"},
    )
    assert response.status_code == 302 and minutes.addenda.count() == 1


def test_a_member_reads_sealed_minutes_but_not_a_draft(world, cell):
    from dangbo.meetings import services
    from tests.meetings.test_services import held_meeting, minutes_input

    meeting = held_meeting(world, cell)
    services.minutes_save(
        actor=cell.secretary_user, meeting=meeting, data=minutes_input(conclusions="Kết luận bí mật nháp")
    )
    member = client_for("member")
    assert (
        "Kết luận bí mật nháp"
        not in member.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    assert (
        "Kết luận bí mật nháp" in member.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )


def test_search_finds_minutes_without_accents(world, cell):
    from tests.meetings.test_services import sealed_meeting

    sealed_meeting(world, cell)
    office = client_for("office")
    page = office.get(reverse("meetings:list"), {"q": "trien khai nhiem vu"}).content.decode()
    assert "Sinh hoạt chi bộ thường kỳ" in page
    page = office.get(reverse("meetings:list"), {"q": "dang vien moi khong co"}).content.decode()
    assert "Sinh hoạt chi bộ thường kỳ" not in page


def test_the_plan_takes_its_day_as_dd_mm_yyyy_and_names_a_day_that_does_not_exist(world, cell):
    office = client_for("secretary")
    url = reverse("meetings:create") + f"?to-chuc={world.cell_a.pk}"
    plan = {"organisation": world.cell_a.pk, "kind": "cell_regular", "start": "14:00", "end": "16:00"}
    year = timezone.localdate().year + 1
    response = office.post(url, {**plan, "day": f"29/02/{year if year % 4 else year + 1}"})
    html = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "không tồn tại: tháng 2 năm" in html and "có 28 ngày." in html
    assert "bắt buộc" not in html
    assert 'name="start" value="14:00"' in html  # the time box is as it was
    day = timezone.localdate() + dt.timedelta(days=7)
    response = office.post(url, {**plan, "day": f"{day:%d/%m/%Y}"})
    assert response.status_code == 302
    assert timezone.localtime(Meeting.objects.get().starts_at).date() == day


def test_the_page_follows_the_meetings_phases(world, cell):
    """The walk-through: a meeting in January led with a 40-radio attendance form that could not be saved
    yet, the agenda and the invitation below it. Before the meeting: agenda, invitation, who is summoned
    (no attendance form until the day); from its start: attendance, agenda, votes, minutes."""
    from tests.meetings.conftest import plan

    secretary = client_for("secretary")
    ahead = plan(world, cell)
    page = secretary.get(reverse("meetings:detail", args=[ahead.pk])).content.decode()
    order = [page.index(f'id="{h}"') for h in ("agenda-h", "invite-h", "validity-h")]
    assert order == sorted(order)
    assert 'type="radio"' not in page and 'id="votes-h"' not in page  # no attendance radios, no votes yet
    held = plan(world, cell, held=True)
    page = secretary.get(reverse("meetings:detail", args=[held.pk])).content.decode()
    order = [page.index(f'id="{h}"') for h in ("validity-h", "agenda-h", "votes-h", "minutes-h")]
    assert order == sorted(order) and 'id="invite-h"' not in page and 'type="radio"' in page
