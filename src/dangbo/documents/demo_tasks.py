"""Tasks of the demo documents, in every status, for `dangbo demo`.

Vietnam Post's plan implementing Chỉ thị 03-CT/TW (seed 004) lists four groups of work: review the
cooperation agreements with the bloc's corporations and raise the share of revenue they bring to 5–10 %,
a web page on the campaign, the product catalogue and buudien.vn, monthly reviews reported to the bloc.
Nghị quyết 69-NQ/ĐU (seed 000) asks every unit for innovation. The demo sets those as tasks and targets
of the committee's departments and branches. Dates of the work still open are counted from the day the
demo is loaded, so the dashboard always shows work on track, at risk, late and not started; finished
work keeps the dates of 2022–2023. Everything goes through `documents.tasks` as the system (audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dangbo.documents import tasks
from dangbo.documents.models import Document, Task
from dangbo.orgs.models import Organisation, Person, Unit

D = dt.date
PLAN = "KH/ĐU"  # the plan's symbol ends so; its number is given by the register


@dataclass(frozen=True)
class DemoTask:
    document: str  # "plan" or "69-NQ/ĐU"
    title: str
    assignee: str  # "org:<key>" or "unit:<key>" of orgs.demo
    start: dt.date | int  # a date, or days from today
    due: dt.date | int
    owner: str = ""  # person key of orgs.demo
    kind: str = Task.Kind.TASK
    indicator: str = ""
    measure: str = ""
    target: str = ""
    reports: tuple[tuple[dt.date | int, str, str], ...] = ()  # (day, percent or value, text)
    cancelled: str = ""


TASKS: tuple[DemoTask, ...] = (
    DemoTask(
        "plan",
        "Rà soát, đánh giá lại các thỏa thuận hợp tác đã ký với các tập đoàn, tổng công ty, ngân hàng, "
        "đơn vị trong Khối",
        "unit:kd",
        D(2022, 1, 5),
        D(2022, 3, 31),
        owner="tgd",
        reports=(
            (D(2022, 2, 15), "50", "Đã rà soát 14/28 thỏa thuận."),
            (D(2022, 3, 25), "100", "Hoàn thành rà soát 28 thỏa thuận; đề xuất ký bổ sung 6 thỏa thuận."),
        ),
    ),
    DemoTask(
        "plan",
        "Nâng tỷ trọng doanh thu từ khách hàng là các đơn vị trong Khối",
        "unit:kd",
        -300,
        65,
        owner="tgd",
        kind=Task.Kind.TARGET,
        indicator="Tỷ trọng doanh thu từ các đơn vị trong Khối",
        measure="% tổng doanh thu",
        target="10",
        reports=((-20, "6,2", "Lũy kế đến hết quý III đạt 6,2 %; cần đẩy mạnh nhóm khách hàng ngân hàng."),),
    ),
    DemoTask(
        "plan",
        "Xây dựng chuyên trang về Cuộc vận động trên Cổng thông tin điện tử của Tổng công ty",
        "unit:cds",
        D(2022, 1, 5),
        D(2022, 6, 30),
        owner="ptgd-1",
        reports=(
            (D(2022, 5, 31), "70", "Đã hoàn thiện giao diện, đang nhập nội dung."),
            (D(2022, 7, 15), "100", "Chuyên trang đã đưa vào hoạt động."),
        ),
    ),
    DemoTask(
        "plan",
        "Cập nhật Danh mục sản phẩm do Bưu điện cung cấp; đẩy mạnh bán hàng trên sàn buudien.vn",
        "org:phbc",
        -100,
        80,
        reports=((-10, "55", "Đã cập nhật 320 sản phẩm; doanh số trên sàn tăng 18 % so với cùng kỳ."),),
    ),
    DemoTask(
        "plan",
        "Tổng kết, đánh giá kết quả thực hiện hằng tháng, báo cáo Đảng ủy Khối",
        "org:coquan",
        -200,
        -15,
        reports=((-40, "70", "Đã gửi báo cáo các tháng 1 đến 7."),),
    ),
    DemoTask(
        "plan",
        "Thành lập tổ công tác kết nối với từng tập đoàn, tổng công ty trong Khối",
        "org:logistics",
        D(2022, 1, 5),
        D(2022, 4, 30),
        cancelled="Ban Thường vụ giao Ban Kinh doanh thực hiện chung, không lập tổ riêng ở đơn vị.",
    ),
    DemoTask(
        "69-NQ/ĐU",
        "Mỗi chi bộ trực thuộc Đảng bộ Cơ quan có ít nhất một sáng kiến được công nhận",
        "org:coquan",
        D(2021, 4, 1),
        D(2023, 9, 30),
        kind=Task.Kind.TARGET,
        indicator="Sáng kiến được công nhận",
        measure="sáng kiến",
        target="6",
        reports=(
            (D(2022, 12, 20), "4", "Đã công nhận 4 sáng kiến."),
            (D(2023, 9, 20), "7", "Đã công nhận 7 sáng kiến, vượt chỉ tiêu."),
        ),
    ),
    DemoTask(
        "69-NQ/ĐU",
        "Tổ chức Hội thi ý tưởng sáng tạo trong đoàn viên thanh niên",
        "org:cntt",
        10,
        120,
    ),
    DemoTask(
        "69-NQ/ĐU",
        "Ứng dụng chuyển đổi số trong quản lý hồ sơ đảng viên của các chi bộ",
        "org:cds",
        -150,
        30,
        reports=((-60, "30", "Đã số hóa hồ sơ của 2 chi bộ."),),
    ),
)


def _day(value: dt.date | int, today: dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else today + dt.timedelta(days=value)


def load_tasks(
    organisations: dict[str, Organisation], units: dict[str, Unit], people: dict[str, Person]
) -> int:
    """Set the demo tasks not there yet, with their reports; how many were set."""
    today = timezone.localdate()
    documents = {
        "plan": Document.objects.filter(symbol__endswith=PLAN, type_code="KH", registered=True).first(),
        "69-NQ/ĐU": Document.objects.filter(symbol="69-NQ/ĐU", registered=True).first(),
    }
    created = 0
    for row in TASKS:
        document = documents[row.document]
        if document is None or Task.objects.filter(document=document, title=row.title).exists():
            continue
        tree, key = row.assignee.split(":")
        assignee = organisations[key] if tree == "org" else units[key]
        [task] = tasks.task_create(
            actor=None,
            document=document,
            title=row.title,
            assignees=[assignee],
            start_on=_day(row.start, today),
            due_on=_day(row.due, today),
            kind=row.kind,
            indicator=row.indicator,
            measure=row.measure,
            target_value=row.target or None,
            owner=people.get(row.owner),
        )
        for day, figure, text in row.reports:
            target = row.kind == Task.Kind.TARGET
            tasks.task_report(
                actor=None,
                task=task,
                reported_on=_day(day, today),
                percent=None if target else figure,
                value=figure if target else None,
                text=text,
            )
        if row.cancelled:
            tasks.task_cancel(actor=None, task=task, reason=row.cancelled)
        created += 1
    return created
