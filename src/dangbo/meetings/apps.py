from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangbo.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from dangbo.core.audit import register_seal_check
        from dangbo.meetings import seal

        register_seal_check(seal.verify)
