"""The audit log and the history pages show an event's details only to who may read its object
(security test 2026-12, M1): a member's opinion only to its sender and the committee office that
answers it, a confidential document only to DOCUMENT_SECRET_VIEW."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangbo.core.models import AuditEvent
from dangbo.documents import services as document_services
from dangbo.documents import tasks
from dangbo.handbook import services as handbook_services
from dangbo.members.services import member_admit
from dangbo.orgs import services as org_services
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
D = dt.date

OPINION_SUBJECT = "Ý kiến về công tác cán bộ"
OPINION_TEXT = "Đề nghị xem xét lại việc phân công của bí thư chi bộ"
SECRET_SYMBOL = "78-CV/RX"
SECRET_SUMMARY = "Tài liệu mật về nhân sự"
SECRET_FILE = "nhan-su-mat.pdf"
SECRET_TASK = "Rà soát hồ sơ nhân sự mật"
ORDINARY = "Nguyễn Thị Thường"


@pytest.fixture
def events(world: Any) -> dict[str, Any]:
    """In cell A: a member's opinion, a confidential document of the cell's register with a task,
    downloaded by the office, and an ordinary event (a person added to the cell)."""
    person = org_services.person_create(actor=None, full_name="Phạm Văn Mẫu", organisation=world.cell_a)
    member_admit(actor=None, person=person, organisation=world.cell_a, admitted_on=D(2024, 1, 1))
    org_services.person_link_user(actor=None, person=person, user=world.users["member"])
    opinion = handbook_services.opinion_send(
        actor=world.users["member"], subject=OPINION_SUBJECT, text=OPINION_TEXT
    )
    secret = document_services.document_register(
        actor=None,
        organisation=world.cell_a,
        own=False,
        symbol=SECRET_SYMBOL,
        issued_on=D(2026, 11, 2),
        summary=SECRET_SUMMARY,
        signer_name="Trần Văn Ký",
        secrecy="secret",
        file=SimpleUploadedFile(SECRET_FILE, b"%PDF-1.4 mat"),
    )
    tasks.task_create(
        actor=None,
        document=secret,
        title=SECRET_TASK,
        assignees=[world.cell_a],
        start_on=D(2026, 11, 3),
        due_on=D(2026, 12, 31),
    )
    assert client_for("office").get(reverse("documents:file", args=[secret.pk])).status_code == 200
    org_services.person_create(actor=None, full_name=ORDINARY, organisation=world.cell_a)
    return {"opinion": opinion, "secret": secret}


SECRET_DETAILS = (SECRET_SYMBOL, SECRET_SUMMARY, SECRET_FILE, SECRET_TASK, "Trần Văn Ký")


def _log(username: str) -> str:
    response = client_for(username).get(reverse("audit_log"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_secretary_sees_no_opinion_and_no_confidential_document_in_the_log(world, events):
    assert (
        client_for("secretary").get(reverse("documents:detail", args=[events["secret"].pk])).status_code
        == 404
    )
    html = _log("secretary")
    shown = [text for text in (OPINION_SUBJECT, OPINION_TEXT, *SECRET_DETAILS) if text in html]
    assert shown == []
    assert "Nội dung hạn chế" in html
    # The events themselves stay in their place in the chain, without who did them.
    download = AuditEvent.objects.get(action="document.download")
    assert f">{download.seq}<" in html
    row = html[html.index(f">{download.seq}<") :].split("</tr>")[0]
    assert "office" not in row and "Nội dung hạn chế" in row


def test_a_secretary_still_sees_the_ordinary_events_of_her_cell(world, events):
    html = _log("secretary")
    assert ORDINARY in html and "Phạm Văn Mẫu" in html


def test_the_committee_office_still_sees_opinions_and_confidential_documents(world, events):
    html = _log("office")
    for text in (OPINION_SUBJECT, OPINION_TEXT, *SECRET_DETAILS, ORDINARY):
        assert text in html, text
    assert "Nội dung hạn chế" not in html


def test_each_object_type_keeps_its_own_rule(world, events):
    """The leader reads confidential documents but does not answer opinions; the inspection likewise."""
    for username in ("leader", "inspection"):
        html = _log(username)
        assert SECRET_SUMMARY in html and SECRET_TASK in html, username
        assert OPINION_TEXT not in html and OPINION_SUBJECT not in html, username
        assert "Nội dung hạn chế" in html


def test_a_history_page_hides_the_same_details(world, events):
    """The person's history page lists only the person's events; the document's, only who reads it."""
    secret = events["secret"]
    assert client_for("secretary").get(reverse("documents:history", args=[secret.pk])).status_code == 404
    html = client_for("office").get(reverse("documents:history", args=[secret.pk])).content.decode()
    assert SECRET_SUMMARY in html and "Nội dung hạn chế" not in html


def test_every_registered_reader_names_a_model_and_returns_its_objects(world):
    from django.apps import apps

    from dangbo.core.audit import READERS

    assert {"handbook.opinion", "documents.document", "documents.task"} <= set(READERS)
    for object_type, readable in READERS.items():
        assert readable(world.users["secretary"]).model is apps.get_model(object_type), object_type
