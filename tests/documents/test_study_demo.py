"""The demo assigns 69-NQ/ĐU and 09-CTr/ĐUK for study to the corporation's members; the demo member
has them on their page, still to confirm."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.documents import study
from dangbo.documents.models import StudyAssignment, StudyConfirmation
from dangbo.orgs.demo import load_demo
from dangbo.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_member_has_the_resolution_to_study_and_loading_again_adds_nothing():
    load_demo(meetings=False)
    load_demo(meetings=False)
    today = timezone.localdate()
    tct = Organisation.objects.get(code="ĐU")
    resolution = StudyAssignment.objects.get(document__symbol="69-NQ/ĐU")
    assert (resolution.organisation, resolution.due_on) == (tct, today + dt.timedelta(days=5))
    assert StudyAssignment.objects.count() == 2
    confirmations = StudyConfirmation.objects.filter(assignment=resolution)
    assert AuditEvent.objects.filter(action="study.record").count() == StudyConfirmation.objects.count()
    total = study.study_completion(resolution).total
    assert 0 < total.confirmed < total.members and total.confirmed == confirmations.count()

    member = get_user_model().objects.get(username="dangvien")
    mine = study.my_studies(member)
    assert [s.assignment.document.symbol for s in mine.todo] == ["69-NQ/ĐU", "09-CTr/ĐUK"]
    assert [s.assignment.document.symbol for s in mine.due_soon] == ["69-NQ/ĐU"]
    office = get_user_model().objects.get(username="vanphong")
    assert [f.assignment for f in study.due_soon(office, tct)] == [resolution]
