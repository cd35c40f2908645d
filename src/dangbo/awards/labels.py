"""Translated labels for the codes of `dangbo.rules.emulation` (the rules layer has no Django)."""

from django.utils.translation import gettext_lazy as _

from dangbo.rules.emulation import AwardKind, Flag, Level, TaskRating

LEVEL_LABELS = {
    Level.GRASSROOTS: _("Grassroots"),
    Level.MINISTRY: _("Ministry, branch, province"),
    Level.NATIONAL: _("Government, Prime Minister"),
    Level.STATE: _("State (President)"),
}

# Who awards the titles and forms of each level (Luật Thi đua, khen thưởng 06/2022/QH15): a label
# shown with the catalogue; the decision names its own issuer.
AWARDED_BY = {
    Level.GRASSROOTS: _("Head of the agency or unit"),
    Level.MINISTRY: _("Minister, head of a branch, chairman of the provincial People's Committee"),
    Level.NATIONAL: _("Prime Minister"),
    Level.STATE: _("President"),
}

CATEGORY_LABELS = {AwardKind.TITLE: _("emulation title"), AwardKind.FORM: _("form of award")}

TASK_RATING_LABELS = {
    TaskRating.NOT_DONE: _("did not complete the tasks"),
    TaskRating.DONE: _("completed the tasks"),
    TaskRating.GOOD: _("completed the tasks well"),
    TaskRating.EXCELLENT: _("completed the tasks excellently"),
}

FLAG_LABELS = {
    Flag.SPIRIT: _("spirit of self-reliance, solidarity and emulation"),
    Flag.EMULATION: _("takes part in the emulation movements regularly and effectively"),
    Flag.UNITED: _("united, sets an example in keeping the Party's and the State's rules"),
}
