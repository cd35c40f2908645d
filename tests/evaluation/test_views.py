"""The pages, the Word forms and the API of the evaluation, as each role uses them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from dangbo.evaluation import services
from dangbo.evaluation.models import Assessment
from tests.evaluation.conftest import EXCELLENT, add_member, advance_to, figures
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
L = services.LevelInput
GOOD = {
    "general_score": "25",
    "task_score": "60",
    "tasks_total": "10",
    "tasks_done": "10",
    "tasks_on_time": "10",
    "tasks_exceeding": "2",
    "shortcomings": "0",
    "shortcomings_fixed": "0",
    "strengths": "Hoàn thành tốt việc được giao.",
    "weaknesses": "",
    "remedies": "",
}


def _of(evaluation_round, person):
    return Assessment.objects.get(round=evaluation_round, person=person)


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def test_a_member_fills_their_self_assessment_and_sees_why(world, people, evaluation_round):
    client = client_for("member")
    mine = client.get(reverse("evaluation:mine", args=[evaluation_round.pk]))
    own = _of(evaluation_round, people["an"])
    assert mine.status_code == 302 and mine["Location"] == reverse("evaluation:assessment", args=[own.pk])
    page = client.get(mine["Location"])
    assert page.status_code == 200 and "form-control-lg" in page.content.decode()
    saved = client.post(mine["Location"], {**GOOD, "general_score": "25,5"})
    assert saved.status_code == 302
    own.refresh_from_db()
    assert str(own.general_score) == "25.50" and own.self_level == "HTTNV"
    body = client.get(mine["Location"]).content.decode()
    assert "85,5" in body and "90" in body  # the total, and the floor of HTXSNV it missed


def test_bad_figures_are_refused_on_the_page_and_nothing_is_saved(world, people, evaluation_round):
    client = client_for("member")
    own = _of(evaluation_round, people["an"])
    url = reverse("evaluation:assessment", args=[own.pk])
    for bad in ({"general_score": "31"}, {"task_score": "71"}, {"tasks_done": "11"}, {"tasks_on_time": "12"}):
        response = client.post(url, {**GOOD, **bad})
        assert response.status_code == 400, bad
        assert f'href="#id_{next(iter(bad))}"' in response.content.decode()  # the error names the field
    own.refresh_from_db()
    assert not own.self_assessed


def test_a_member_cannot_open_someone_elses_assessment(world, people, evaluation_round):
    other = _of(evaluation_round, people["binh"])
    response = client_for("member").post(reverse("evaluation:assessment", args=[other.pk]), GOOD)
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.self_assessed


def _ready(evaluation_round, people, status, **excellent):
    for key, person in people.items():
        data = figures(**EXCELLENT) if key in excellent else figures()
        services.self_assess(actor=None, assessment=_of(evaluation_round, person), data=data)
    return advance_to(evaluation_round, status)


def test_the_secretary_proposes_for_the_cell(world, people, evaluation_round):
    evaluation_round = _ready(evaluation_round, people, "proposing")
    client = client_for("secretary")
    url = reverse("evaluation:propose", args=[evaluation_round.pk, world.cell_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    an = _of(evaluation_round, people["an"])
    refused = client.post(url, {f"level_{an.pk}": "HTXSNV"})
    assert refused.status_code == 400 and "Nguyễn Văn An" in refused.content.decode()
    assert client.post(url, {f"level_{an.pk}": "HTTNV", f"note_{an.pk}": "Tốt"}).status_code == 302
    an.refresh_from_db()
    assert an.proposed_level == "HTTNV" and an.proposal_note == "Tốt"
    # Not the secretary of cell B.
    other = reverse("evaluation:propose", args=[evaluation_round.pk, world.cell_b.pk])
    assert client.get(other).status_code == 404


def test_the_committee_decides_with_the_quota_and_the_member_sees_the_level(world, people, evaluation_round):
    evaluation_round = _ready(evaluation_round, people, "deciding", an=True)
    client = client_for("office")
    url = reverse("evaluation:decide", args=[evaluation_round.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="quota"' in page.content.decode()
    ids = {key: _of(evaluation_round, p).pk for key, p in people.items()}
    levels = {f"level_{pk}": "HTTNV" for pk in ids.values()}
    over = client.post(url, {**levels, f"level_{ids['an']}": "HTXSNV"})
    # 1 HTXSNV with 3 HTTNV: 20 % of 3 is 0,6, rounded down to 0.
    assert over.status_code == 400 and "HTXSNV" not in {a.decided_level for a in Assessment.objects.all()}
    assert client.post(url, levels).status_code == 302
    own = reverse("evaluation:assessment", args=[ids["an"]])
    body = client_for("member").get(own).content.decode()
    assert 'role="status"' in body  # the decided level, shown to the member
    closed = services.round_advance(actor=None, evaluation_round=evaluation_round)
    results = client_for("member").get(reverse("evaluation:results", args=[closed.pk]))
    assert results.status_code == 200 and "Lê Văn Cường" in results.content.decode()


def test_word_forms_carry_the_figures(world, people, evaluation_round):
    own = services.self_assess(actor=None, assessment=_of(evaluation_round, people["an"]), data=figures())
    response = client_for("member").get(reverse("evaluation:word", args=[own.pk]))
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "Mẫu 2A-HD KĐ.ĐG 2025" in text and "Nguyễn Văn An" in text
    assert "85" in text and "25" in text and "60" in text and "Hoàn thành tốt nhiệm vụ" in text
    assert "Chưa đạt mức “Hoàn thành xuất sắc nhiệm vụ”" in text
    cell = Assessment.objects.get(round=evaluation_round, organisation=world.cell_a, collective=True)
    cell = services.self_assess(
        actor=None, assessment=cell, data=figures(**EXCELLENT, shortcomings=3, shortcomings_fixed=3)
    )
    report = _docx_text(client_for("secretary").get(reverse("evaluation:word", args=[cell.pk])).content)
    assert "Mẫu 01-HD KĐ.ĐG 2025" in report and "93" in report and "3/3" in report
    assert "Hoàn thành xuất sắc nhiệm vụ" in report and "BÁO CÁO" in report.upper()


def test_api_self_assessment_proposal_and_decision(world, people, evaluation_round):
    member = client_for("member")
    own = _of(evaluation_round, people["an"])
    url = reverse("evaluation-assessment-self-assessment", args=[own.pk])
    body = {k: v for k, v in GOOD.items() if k not in ("shortcomings", "shortcomings_fixed")}
    bad = member.post(url, {**body, "general_score": "31"}, content_type="application/json")
    assert bad.status_code == 400 and "general_score" in bad.json()
    ok = member.post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["self_level"] == "HTTNV" and "HTXSNV" in ok.json()["why_not"]
    other = reverse("evaluation-assessment-self-assessment", args=[_of(evaluation_round, people["binh"]).pk])
    assert member.post(other, body, content_type="application/json").status_code == 403
    listed = member.get(reverse("evaluation-assessment-list")).json()
    assert [row["id"] for row in listed["results"]] == [own.pk]
    evaluation_round = advance_to(evaluation_round, "proposing")
    propose = reverse("evaluation-assessment-propose", args=[own.pk])
    above = client_for("secretary").post(propose, {"level": "HTXSNV"}, content_type="application/json")
    assert above.status_code == 400 and "Nguyễn Văn An" in above.json()["level"][0]
    assert (
        client_for("secretary").post(propose, {"level": "HTTNV"}, content_type="application/json").status_code
        == 200
    )
    evaluation_round = advance_to(evaluation_round, "deciding")
    decide = reverse("evaluation-assessment-decide", args=[own.pk])
    done = client_for("leader").post(decide, {"level": "HTNV"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["decided_level"] == "HTNV"


def test_api_decision_over_the_quota_names_the_quota(world, people, evaluation_round):
    add_member(world, "Hồ Thị Em", world.cell_b, 9)
    evaluation_round = _ready(evaluation_round, people, "deciding", an=True)
    decide = reverse("evaluation-assessment-decide", args=[_of(evaluation_round, people["an"]).pk])
    response = client_for("office").post(decide, {"level": "HTXSNV"}, content_type="application/json")
    assert response.status_code == 400 and "quota" in response.json()


def test_a_decision_over_the_quota_is_told_at_the_top_and_again_next_to_the_save_button(
    world, people, evaluation_round
):
    """The table is long (one row per member): the page opens at the error summary, and the quota
    error is repeated by the button the committee pressed, with the live quota recount."""
    evaluation_round = _ready(evaluation_round, people, "deciding", an=True)
    url = reverse("evaluation:decide", args=[evaluation_round.pk])
    ids = {key: _of(evaluation_round, p).pk for key, p in people.items()}
    levels = {f"level_{pk}": "HTTNV" for pk in ids.values()}
    page = client_for("office").post(url, {**levels, f"level_{ids['an']}": "HTXSNV"}).content.decode()
    summary = page.index('id="levels-errors"')
    assert "data-error-summary" in page[summary - 200 : summary + 200]
    again = page.index('id="levels-errors-again"')
    button = page.index("Lưu mức xếp loại")
    quota_error = "thừa 1"
    assert summary < page.index(quota_error) < again < page.index(quota_error, again) < button
    assert page.count("data-quota-group") == 2 * page[: page.index("</section>")].count("data-quota-group")
