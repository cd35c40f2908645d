from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "dangbo.emulation"
    label = "emulation"
    verbose_name = _("Emulation and commendation")

    def ready(self) -> None:
        from dangbo.core.audit import register_seal_check
        from dangbo.emulation import seal

        register_seal_check(seal.verify)
