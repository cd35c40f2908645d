"""Translated labels of the meeting codes defined in `dangbo.rules.meetings`."""

from django.utils.translation import gettext_lazy as _

from dangbo.rules.meetings import MeetingKind, Presence, VoteRule

KIND_LABELS = {
    MeetingKind.CELL_REGULAR: _("Regular cell meeting"),
    MeetingKind.CELL_THEMATIC: _("Thematic cell meeting"),
    MeetingKind.COMMITTEE: _("Executive committee meeting"),
    MeetingKind.STANDING: _("Standing committee meeting"),
    MeetingKind.EXPANDED: _("Expanded executive committee conference"),
    MeetingKind.CONGRESS: _("Congress"),
    MeetingKind.OTHER: _("Other conference"),
}

PRESENCE_LABELS = {
    Presence.INVITED: _("Not recorded"),
    Presence.PRESENT: _("Present"),
    Presence.EXCUSED: _("Absent with reason"),
    Presence.UNEXCUSED: _("Absent without reason"),
    Presence.EXEMPT: _("Excused from party activity"),
}

VOTE_RULE_LABELS = {
    VoteRule.MAJORITY: _("More than half of the voting members"),
    VoteRule.TWO_THIRDS: _("At least two thirds of the voting members"),
}
