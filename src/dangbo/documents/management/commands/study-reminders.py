"""`dangbo study-reminders [--days 7] [--org ID]`: who must be reminded to study a document whose
deadline is near — for each open assignment due within the days, the cells where members have not
all confirmed, with the deadline and how many are left. Run it each morning; its output can go to
the cell secretaries by e-mail or chat until the platform sends notifications itself."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangbo.documents import study
from dangbo.members.management.commands.export import find_organisation
from dangbo.rules.vietnamese import format_date, format_number


class Command(BaseCommand):
    help = (
        "In danh sách cần nhắc học tập, quán triệt: các văn bản sắp đến hạn và các chi bộ còn đảng viên "
        "chưa xác nhận (tổ chức, hạn, số đảng viên còn lại)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=study.DUE_SOON_DAYS, help="hạn trong bao nhiêu ngày tới (mặc định 7)"
        )
        parser.add_argument("--org", help="chỉ trong tổ chức này (mã số hoặc ký hiệu)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        within = find_organisation(options["org"]) if options["org"] else None
        days = max(0, options["days"])
        assignments = study.reminders_due(today, days, within)
        reminded = 0
        for assignment in assignments:
            region = within if within is not None and within.path.startswith(assignment.org_path) else None
            cells = study.cells_behind(assignment, region)
            if not cells:
                continue
            left = (assignment.due_on - today).days
            self.stdout.write(
                f"{assignment.document.symbol} — đảng viên {assignment.organisation.name} — hạn "
                f"{format_date(assignment.due_on)} (còn {format_number(left)} ngày)"
            )
            for cell in cells:
                self.stdout.write(
                    f"  {cell.organisation.name}: còn {format_number(cell.left)}/{format_number(cell.members)} "
                    "đảng viên chưa xác nhận"
                )
            reminded += len(cells)
        if reminded:
            self.stdout.write(self.style.WARNING(f"Cần nhắc {format_number(reminded)} chi bộ."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Không có việc học tập nào đến hạn trong {format_number(days)} ngày cần nhắc."
                )
            )
