"""The demo holds the seeds' documents and the chain 03-CT/TW → 28/CT-TTg → 09-CTr/ĐUK → the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from dangbo.documents import selectors
from dangbo.documents.models import Document
from dangbo.orgs.demo import load_demo
from dangbo.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_has_the_seeds_chain_and_loading_again_adds_nothing():
    first = load_demo(meetings=False)
    assert first.documents == 6
    assert load_demo(meetings=False).documents == 0
    tct = Organisation.objects.get(code="ĐU")
    resolution = Document.objects.get(symbol="69-NQ/ĐU")
    assert (resolution.issued_on, resolution.issuer_org, resolution.term.name) == (
        dt.date(2021, 3, 27),
        tct,
        "2020–2025",
    )
    assert selectors.proposals(tct, dt.date(2021, 4, 1)).symbol(tct, "NQ") == "70-NQ/ĐU"
    assert Document.objects.get(symbol="01-CT/ĐUK").registered is False  # cited, not yet entered

    member = get_user_model().objects.get(username="dangvien")  # a member of a cell far below
    directive = Document.objects.get(symbol="03-CT/TW")
    chain = selectors.chain(member, directive)
    below = {node.document.symbol: node for node in chain.down}
    assert set(below) == {"28/CT-TTg", "09-CTr/ĐUK", "01-KH/ĐU"}
    assert [n.document.symbol for n in below["28/CT-TTg"].children] == ["09-CTr/ĐUK", "01-KH/ĐU"]
    plan = below["01-KH/ĐU"].document
    assert plan.issuer_org == tct and "buudien.vn" in plan.body
    up = selectors.chain(member, plan).up
    assert [n.document.symbol for n in up] == ["03-CT/TW", "28/CT-TTg", "09-CTr/ĐUK"]
    review = Document.objects.get(type_code="BC")
    assert review.links_out.get().to_doc == resolution


def test_the_demo_sets_tasks_in_every_status_and_loading_again_adds_none():
    from django.utils import timezone

    from dangbo.documents import tasks
    from dangbo.documents.models import Task

    first = load_demo(meetings=False)
    assert first.tasks == 9
    assert load_demo(meetings=False).tasks == 0
    today = timezone.localdate()
    statuses = dict(tasks.with_status(Task.objects.all(), today).values_list("title", "status"))
    assert set(statuses.values()) == {
        "done",
        "done_late",
        "at_risk",
        "on_track",
        "late",
        "not_started",
        "cancelled",
    }
    plan = Document.objects.get(type_code="KH", symbol__endswith="KH/ĐU")
    assert tasks.tally(Task.objects.filter(document=plan), today).total == 6
    office = get_user_model().objects.get(username="vanphong")
    assert tasks.task_list(office, today).count() == 9
