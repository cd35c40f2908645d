from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangbo.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from dangbo.core.audit import register_seal_check
        from dangbo.meetings import receivers, seal
        from dangbo.members import signals

        register_seal_check(seal.verify)
        signals.membership_changed.connect(
            receivers.membership_changed, dispatch_uid="meetings.membership_changed"
        )
