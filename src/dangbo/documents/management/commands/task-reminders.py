"""`dangbo task-reminders [--org CODE] [--send]`: the unfinished tasks to remind today — 30, 7 and 1
days before their due date, then the day after it and every week while late — with whom to remind
(the person in charge, the assignee's secretary and committee office, else the office that assigned
the task). `--send` sends each of them one e-mail listing all of their tasks (Django's e-mail
backend: the console in the demo). Run it each morning, e.g. from cron."""

from __future__ import annotations

from typing import Any

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangbo.documents import tasks
from dangbo.members.management.commands.export import find_organisation
from dangbo.rules.vietnamese import format_number


class Command(BaseCommand):
    help = (
        "Nhắc các nhiệm vụ, chỉ tiêu chưa hoàn thành: trước hạn 30, 7, 1 ngày, sau hạn 1 ngày và mỗi tuần khi "
        "còn quá hạn; --send gửi thư cho người phụ trách, bí thư và văn phòng của nơi thực hiện."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", help="chỉ các nhiệm vụ giao bởi hoặc giao cho tổ chức này (mã số hoặc ký hiệu)"
        )
        parser.add_argument("--send", action="store_true", help="gửi thư nhắc (mặc định chỉ in danh sách)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        within = find_organisation(options["org"]) if options["org"] else None
        reminders = tasks.task_reminders(today, within)
        if not reminders:
            self.stdout.write(self.style.SUCCESS("Hôm nay không có nhiệm vụ nào cần nhắc."))
            return
        nobody = 0
        for reminder in reminders:
            to = ", ".join(reminder.recipients) if reminder.recipients else "(không có địa chỉ thư để gửi)"
            nobody += not reminder.recipients
            self.stdout.write(f"{tasks.reminder_line(reminder)}\n  gửi: {to}")
        self.stdout.write(self.style.WARNING(f"Cần nhắc {format_number(len(reminders))} nhiệm vụ."))
        if nobody:
            self.stdout.write(
                self.style.WARNING(
                    f"{format_number(nobody)} nhiệm vụ không có ai để gửi thư: hãy ghi người phụ trách "
                    "hoặc địa chỉ thư của văn phòng."
                )
            )
        if options["send"]:
            mails = tasks.reminder_mails(reminders)
            sent = get_connection().send_messages(mails) or 0
            self.stdout.write(self.style.SUCCESS(f"Đã gửi {format_number(sent)} thư nhắc việc."))
