from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    name = "dangbo.handbook"
    label = "handbook"
    verbose_name = _("Member handbook")

    def ready(self) -> None:
        from dangbo.core.audit import register_reader
        from dangbo.handbook import selectors

        # The log shows an opinion's events in full only to who may read the opinion.
        register_reader("handbook.opinion", selectors.opinions_readable)
