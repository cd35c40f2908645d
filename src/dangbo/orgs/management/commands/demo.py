"""`dangbo demo`: load the fictional demo data set and print its logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from dangbo.orgs.demo import demo_logins, load_demo
from dangbo.orgs.models import Organisation


class Command(BaseCommand):
    help = "Nạp dữ liệu demo (hư cấu) và in các tài khoản demo. Chạy lại không tạo thêm gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Chỉ nạp khi chưa có tổ chức đảng nào (vẫn in tài khoản demo nếu đã có).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        # One transaction: the emptiness check and the whole load, all or nothing. The demo's
        # invitations and notifications stay in the app: no e-mail leaves, none is printed.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, transaction.atomic():
            if if_empty and Organisation.objects.exists():
                self.stdout.write("Đã có tổ chức đảng: không nạp dữ liệu demo.")
            else:
                load_demo(stdout=self.stdout)
        self._print_logins()

    def _print_logins(self) -> None:
        logins = demo_logins()
        existing = set(
            get_user_model()
            .objects.filter(username__in=[login[0] for login in logins])
            .values_list("username", flat=True)
        )
        logins = [login for login in logins if login[0] in existing]
        if not logins:
            return
        passwords = {password for _, password, _, _ in logins}
        header: tuple[str, ...]
        rows: list[tuple[str, ...]]
        if len(passwords) == 1:
            title = f"Tài khoản demo (mật khẩu chung: {passwords.pop()})"
            header = ("Tài khoản", "Vai trò", "Tổ chức")
            rows = [(username, role, org) for username, _, role, org in logins]
        else:
            title = "Tài khoản demo"
            header = ("Tài khoản", "Mật khẩu", "Vai trò", "Tổ chức")
            rows = list(logins)
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        for row in [header, tuple("-" * w for w in widths), *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
