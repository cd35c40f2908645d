"""Translated labels of the meeting codes defined in `dangbo.rules.meetings`."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.rules.meetings import MeetingKind, Presence, Shortfall, VoteMatter, VoteRule

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
    Presence.INVITED: pgettext_lazy("attendance", "Not recorded"),
    Presence.PRESENT: _("Present"),
    Presence.EXCUSED: _("Absent with reason"),
    Presence.UNEXCUSED: _("Absent without reason"),
    Presence.EXEMPT: _("Excused from party activity"),
}

VOTE_RULE_LABELS = {
    VoteRule.MAJORITY: _("More than half of the voting members"),
    VoteRule.TWO_THIRDS: _("At least two thirds of the voting members"),
}

MATTER_LABELS = {
    VoteMatter.RESOLUTION: _("Resolution or conclusion"),
    VoteMatter.ADMISSION: _("Proposal to admit a new member"),
    VoteMatter.FULL_MEMBERSHIP: _("Proposal to recognise a full member"),
    VoteMatter.REMOVAL: _("Proposal to remove a member (xóa tên)"),
    VoteMatter.OTHER: _("Other matter (agenda, minutes …)"),
}

SHORTFALL_LABELS = {
    Shortfall.MONTHS: _("A month without a valid meeting"),
    Shortfall.THEMATIC: _("A quarter without a thematic meeting"),
    Shortfall.ATTENDANCE: _("Attendance below the target"),
    Shortfall.DOCUMENTS: _("Documents sent late"),
}
