"""Periodic reviews: every figure computed from the register and the tasks, written into the draft."""

from __future__ import annotations

import pytest

from dangbo.documents import reviews, services, tasks
from tests.documents.conftest import D, own

pytestmark = pytest.mark.django_db


def test_documents_issued_in_the_period_by_type(world, terms):
    for day in (D(2025, 1, 10), D(2025, 2, 1), D(2025, 3, 1)):
        own(world.tct, "NQ", day)
    for day in (D(2025, 1, 20), D(2025, 4, 1)):
        own(world.tct, "CTr", day)
    for n in range(11):
        own(world.tct, "KL", D(2025, 5, 1 + n))
    own(world.tct, "NQ", D(2025, 10, 1))  # after the period
    own(world.tct, "NQ", D(2024, 12, 31))  # before it
    f = reviews.figures(world.users["office"], world.tct, D(2025, 1, 1), D(2025, 9, 30))
    assert [(r.type_code, r.type_name, r.count) for r in f.issued] == [
        ("NQ", "Nghị quyết", 3),
        ("KL", "Kết luận", 11),
        ("CTr", "Chương trình", 2),
    ]
    assert f.issued_total == 16
    text = reviews.draft_text(f)
    assert "đã ban hành 16 văn bản, gồm: 03 nghị quyết, 11 kết luận, 02 chương trình." in text
    assert "| Kết luận | 11 |" in text and "| Tổng cộng | 16 |" in text


def test_the_review_of_a_resolution_covers_the_tasks_of_what_implements_it(world, terms):
    resolution = own(world.tct, "NQ", D(2025, 8, 1), summary="Nghị quyết về đổi mới, sáng tạo")
    plan = services.document_register(
        actor=None,
        organisation=world.tct,
        own=True,
        type_code="KH",
        issued_on=D(2025, 8, 15),
        summary="Kế hoạch thực hiện",
        implements=f"{resolution.symbol} ngày 01/8/2025",
    )
    other = own(world.tct, "NQ", D(2025, 8, 2))

    def task(document, title, due, done_on=None, assignee=world.cell_a):
        [made] = tasks.task_create(
            actor=None,
            document=document,
            title=title,
            assignees=[assignee],
            start_on=D(2025, 9, 1),
            due_on=due,
        )
        if done_on:
            tasks.task_report(actor=None, task=made, reported_on=done_on, percent=100)
        return made

    task(resolution, "Đúng hạn", D(2025, 10, 31), D(2025, 10, 20))
    task(plan, "Chậm", D(2025, 9, 30), D(2025, 10, 5), assignee=world.cell_b)
    task(plan, "Quá hạn", D(2025, 10, 15))
    task(other, "Việc của nghị quyết khác", D(2025, 10, 15))
    f = reviews.figures(world.users["office"], world.tct, D(2025, 9, 1), D(2025, 11, 30), resolution)
    assert (f.tally.total, f.tally.done, f.tally.done_late, f.tally.late) == (3, 1, 1, 1)
    assert [t.title for t in f.late] == ["Quá hạn"]
    text = reviews.draft_text(f)
    assert f"Thực hiện Nghị quyết số {resolution.symbol} ngày 01/08/2025" in text
    assert (
        "Tổng số 03 nhiệm vụ, chỉ tiêu; đã hoàn thành 02 (đúng hạn 01, chậm 01; tỷ lệ hoàn thành đúng hạn 50,0%)"
        in text
    )
    assert "| Chi bộ Văn phòng | 2 | 1 | 0 | 0 | 1 |" in text
    assert "- Quá hạn (Chi bộ Văn phòng, hạn 15/10/2025, đạt 0%)." in text
    # Without a resolution: every task the committee set that the period covers.
    assert reviews.figures(world.users["office"], world.tct, D(2025, 9, 1), D(2025, 11, 30)).tally.total == 4


def test_counts_are_written_the_party_way():
    assert [reviews.count_words(n) for n in (0, 7, 10, 1126)] == ["0", "07", "10", "1.126"]


def test_the_period_is_named_as_reviews_name_it():
    assert reviews.duration_words(D(2026, 1, 1), D(2026, 9, 30)) == "9 tháng"
    assert reviews.duration_words(D(2021, 3, 27), D(2023, 9, 26)) == "2,5 năm"
    assert reviews.duration_words(D(2025, 1, 1), D(2025, 12, 31)) == "1 năm"
    assert reviews.duration_words(D(2025, 1, 1), D(2025, 1, 15)) == "1 tháng"


def test_the_review_counts_study_completion(world, terms):
    import datetime as dt

    from django.utils import timezone

    from dangbo.documents import study
    from dangbo.members.services import member_admit
    from dangbo.orgs import services as org_services

    today = timezone.localdate()
    resolution = own(world.tct, "NQ", today - dt.timedelta(days=20), summary="Nghị quyết")
    members = []
    for n in range(4):
        person = org_services.person_create(actor=None, full_name=f"Đảng Viên {n}", organisation=world.cell_a)
        members.append(
            member_admit(actor=None, person=person, organisation=world.cell_a, admitted_on=D(2020, 1, 1 + n))
        )
    assignment = study.study_assign(
        actor=None,
        document=resolution,
        organisation=world.tct,
        start_on=today - dt.timedelta(days=10),
        due_on=today + dt.timedelta(days=10),
    )
    study.study_record(
        actor=None, assignment=assignment, members=members[:3], studied_on=today - dt.timedelta(days=2)
    )
    f = reviews.figures(world.users["office"], world.tct, today - dt.timedelta(days=30), today, resolution)
    assert [(r.members, r.confirmed, r.share) for r in f.study] == [(4, 3, 75.0)]
    assert f"| {resolution.symbol} (" in reviews.draft_text(f) and "| 4 | 3 | 75,0% |" in reviews.draft_text(
        f
    )
