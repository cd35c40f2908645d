"""The review page as the office uses it: figures for a period, the draft as Word, issuing it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from dangbo.documents import tasks
from dangbo.documents.models import Document, DocumentLink
from tests.documents.conftest import D, own
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(world, terms):
    resolution = own(world.tct, "NQ", D(2025, 8, 1), summary="Nghị quyết về đổi mới, sáng tạo")
    for n in range(3):
        own(world.tct, "KL", D(2025, 9, 1 + n))
    [task] = tasks.task_create(
        actor=None,
        document=resolution,
        title="Mỗi chi bộ một sáng kiến",
        assignees=[world.cell_a],
        start_on=D(2025, 9, 1),
        due_on=D(2025, 10, 31),
    )
    tasks.task_report(actor=None, task=task, reported_on=D(2025, 10, 20), percent=100)
    return resolution


def _params(world, resolution):
    return {"to_chuc": world.tct.pk, "tu": "2025-08-01", "den": "2025-10-31", "van_ban": resolution.pk}


def test_the_page_computes_the_figures_and_the_draft(world, resolution):
    html = client_for("office").get(reverse("documents:review"), _params(world, resolution)).content.decode()
    assert "Sơ kết 3 tháng thực hiện Nghị quyết số 01-NQ/ĐU ngày 01/08/2025" in html
    assert "đã ban hành 04 văn bản, gồm: 01 nghị quyết, 03 kết luận." in html
    assert "| Chi bộ Văn phòng | 1 | 1 | 0 | 0 | 0 |" in html


def test_a_bad_period_is_refused_on_the_form(world, resolution):
    params = {**_params(world, resolution), "tu": "2025-11-01"}
    html = client_for("office").get(reverse("documents:review"), params).content.decode()
    assert "Ngày cuối kỳ trước ngày đầu kỳ." in html and "Dự thảo báo cáo" not in html


def test_the_draft_downloads_as_word_with_its_tables(world, resolution):
    client = client_for("office")
    url = (
        reverse("documents:review")
        + "?"
        + "&".join(f"{k}={v}" for k, v in _params(world, resolution).items())
    )
    page = client.get(url)
    draft = page.context["draft"]
    values = {name: draft[name].value() or "" for name in draft.fields}
    response = client.post(url, {**values, "action": "word"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    docx = Docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "DỰ THẢO" in text and "BÁO CÁO" in text
    cells = [[c.text for c in row.cells] for table in docx.tables for row in table.rows]
    assert ["Kết luận", "3"] in cells and ["Tổng cộng", "4"] in cells


def test_issuing_registers_a_numbered_report_implementing_the_resolution(world, resolution):
    client = client_for("office")
    url = (
        reverse("documents:review")
        + "?"
        + "&".join(f"{k}={v}" for k, v in _params(world, resolution).items())
    )
    draft = client.get(url).context["draft"]
    values = {name: draft[name].value() or "" for name in draft.fields}
    values["body"] += "\nII. HẠN CHẾ\nCòn chậm ở một số chi bộ."
    response = client.post(url, {**values, "action": "issue"})
    report = Document.objects.get(type_code="BC")
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:detail", args=[report.pk]
    )
    assert report.symbol == "01-BC/ĐU" and report.body.endswith("Còn chậm ở một số chi bộ.")
    assert DocumentLink.objects.filter(from_doc=report, to_doc=resolution, kind="implements").exists()
    assert client_for("secretary").get(url).status_code == 403


def test_the_draft_is_signed_by_the_secretary_in_office_on_behalf_of_the_committee(world, resolution):
    from dangbo.orgs import services as org_services
    from dangbo.orgs.models import PositionType

    bi_thu = PositionType.objects.get(code="bi-thu")
    for name, starts, ends in (
        ("Lê Văn Cũ", D(2015, 1, 1), D(2020, 8, 14)),
        ("Đỗ Thị Đương Nhiệm", D(2020, 8, 15), None),
    ):
        person = org_services.person_create(
            actor=None, full_name=name, gender="female", birth_date=D(1970, 1, 1), organisation=world.tct
        )
        org_services.appointment_create(
            actor=None, person=person, position=bi_thu, organisation=world.tct, starts_on=starts, ends_on=ends
        )
    html = client_for("office").get(reverse("documents:review"), _params(world, resolution)).content.decode()
    assert 'value="Đỗ Thị Đương Nhiệm"' in html and "Lê Văn Cũ" not in html
    assert 'value="T/M BAN THƯỜNG VỤ, BÍ THƯ"' in html  # the Tổng công ty is an upper committee
    cell = client_for("office").get(
        reverse("documents:review"), {**_params(world, resolution), "to_chuc": world.cell_a.pk, "van_ban": ""}
    )
    assert 'value="T/M CHI BỘ, BÍ THƯ"' in cell.content.decode()


def test_without_pdf_support_the_draft_says_so_instead_of_failing(world, resolution, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # a machine without WeasyPrint/Pango
    client = client_for("office")
    url = (
        reverse("documents:review")
        + "?"
        + "&".join(f"{k}={v}" for k, v in _params(world, resolution).items())
    )
    draft = client.get(url).context["draft"]
    values = {name: draft[name].value() or "" for name in draft.fields}
    response = client.post(url, {**values, "action": "pdf"})
    # the page has no document to link back to (it used to fail reversing one): no Word link either,
    # the draft's Word comes from the same form
    assert response.status_code == 503 and "/word/" not in response.content.decode()
