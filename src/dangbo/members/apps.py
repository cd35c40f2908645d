from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dangbo.members"
    label = "members"
    verbose_name = _("Party members")

    def ready(self) -> None:
        from dangbo.members import receivers
        from dangbo.orgs import signals

        signals.people_moved.connect(receivers.people_moved, dispatch_uid="members.people_moved")
        signals.tree_changed.connect(receivers.tree_changed, dispatch_uid="members.tree_changed")
