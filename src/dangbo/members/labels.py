"""Translated labels of the membership codes defined in `dangbo.rules.membership`."""

from django.utils.translation import gettext_lazy as _

from dangbo.rules.membership import EventKind, Status

STATUS_LABELS = {
    Status.PROBATIONARY: _("Probationary member"),
    Status.FULL: _("Full member"),
    Status.TRANSFERRED_OUT: _("Transferred out"),
    Status.REMOVED: _("Removed from the register"),
    Status.EXPELLED: _("Expelled"),
    Status.DECEASED: _("Deceased"),
}

EVENT_LABELS = {
    EventKind.ADMITTED: _("Admission"),
    EventKind.FULL_MEMBER: _("Full membership"),
    EventKind.TRANSFER_OUT: _("Transfer out"),
    EventKind.TRANSFER_IN: _("Transfer in"),
    EventKind.REMOVED: _("Removal (xóa tên)"),
    EventKind.EXPELLED: _("Expulsion"),
    EventKind.DIED: _("Death"),
    EventKind.READMITTED: _("Readmission"),
}

LIFECYCLE_ERRORS = {
    "not_allowed": _("“%(event)s” cannot follow the member's current status (%(status)s)."),
    "before_previous": _("The date of “%(event)s” is earlier than the member's previous event."),
    "probation_not_over": _("Full membership can be recognised only after the 12 months of probation."),
    "readmitted_already": _("A member can be readmitted only once."),
}
