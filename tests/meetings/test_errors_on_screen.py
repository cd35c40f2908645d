"""A refused form on the meeting page: the page is long (attendance of every member, agenda, votes,
minutes), so the response opens at the refused form's own error summary — it has an id named after
the form and the `data-error-summary` mark that core/error-focus.js focuses (and `autofocus`) — and
the message names the field."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.meetings.models import Meeting
from tests.helpers import client_for
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db


def _summary(page: str, errors_id: str) -> str:
    """The error summary with that id; it must be the page's only one, so the page opens at it."""
    boxes = re.findall(r"<div [^>]*data-error-summary[^>]*>.*?</div>", page, flags=re.S)
    assert len(boxes) == 1, boxes
    assert f'id="{errors_id}"' in boxes[0] and "autofocus" in boxes[0] and 'tabindex="-1"' in boxes[0]
    return boxes[0]


def test_a_refused_agenda_item_opens_at_its_error_naming_the_documents_field(world, cell):
    meeting = plan(world, cell)
    response = client_for("secretary").post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"title": "Quán triệt nghị quyết", "documents": "99-NQ/ĐU"},
    )
    assert response.status_code == 400 and not meeting.agenda.exists()
    box = _summary(response.content.decode(), "agenda-errors")
    assert 'href="#id_documents"' in box and "Tài liệu (số, ký hiệu văn bản)" in box and "99-NQ/ĐU" in box


def test_a_refused_vote_opens_at_its_error_naming_the_field(world, cell):
    meeting = plan(world, cell, held=True)
    response = client_for("secretary").post(
        reverse("meetings:vote", args=[meeting.pk]),
        {"subject": "", "matter": "resolution", "yes": 3, "no": 0, "abstain": 0},
    )
    assert response.status_code == 400 and not meeting.votes.exists()
    box = _summary(response.content.decode(), "vote-errors")
    assert 'href="#id_subject"' in box and "Vấn đề biểu quyết" in box


def test_attendance_before_the_day_opens_at_its_error(world, cell):
    meeting = plan(world, cell)
    first = meeting.attendees.first()
    response = client_for("secretary").post(
        reverse("meetings:attendance", args=[meeting.pk]), {f"p{first.pk}": "present"}
    )
    assert response.status_code == 400
    box = _summary(response.content.decode(), "attendance-errors")
    assert "điểm danh vào ngày họp" in box


def test_a_refused_guest_opens_the_folded_form_at_its_error(world, cell):
    meeting = plan(world, cell)
    response = client_for("secretary").post(reverse("meetings:guest", args=[meeting.pk]), {"name": ""})
    page = response.content.decode()
    assert response.status_code == 400
    box = _summary(page, "guest-errors")
    assert 'href="#id_name"' in box and "Họ và tên" in box
    assert re.search(r"<details[^>]* open><summary>Mời khách", page)  # not folded away


def test_an_invitation_refused_after_the_start_still_shows_why(world, cell):
    meeting = plan(world, cell)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    response = client_for("secretary").post(reverse("meetings:invite", args=[meeting.pk]), {"email": ""})
    assert response.status_code == 400
    assert "đã bắt đầu" in _summary(response.content.decode(), "invite-errors")


def test_the_meeting_page_without_errors_has_no_error_summary(world, cell):
    meeting = plan(world, cell)
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "data-error-summary" not in page and "core/error-focus.js" in page
