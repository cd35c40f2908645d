"""Translated names of the codes of `dangbo.rules.evaluation` (the rules layer has no Django)."""

from django.utils.translation import gettext_lazy as _

from dangbo.rules.evaluation import Level

LEVEL_LABELS = {
    Level.HTXSNV: _("Completed tasks excellently"),
    Level.HTTNV: _("Completed tasks well"),
    Level.HTNV: _("Completed tasks"),
    Level.KHTNV: _("Did not complete tasks"),
}

# The levels as the Party's documents write them (Vietnamese whatever the page language).
LEVEL_WORDS = {
    Level.HTXSNV: "Hoàn thành xuất sắc nhiệm vụ",
    Level.HTTNV: "Hoàn thành tốt nhiệm vụ",
    Level.HTNV: "Hoàn thành nhiệm vụ",
    Level.KHTNV: "Không hoàn thành nhiệm vụ",
}

LEVEL_CHOICES = [(level.value, label) for level, label in LEVEL_LABELS.items()]
