"""Readable names of audit actions (the codes stay in the chain; people read these)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "organisation.create": _("Party organisation created"),
    "organisation.update": _("Party organisation changed"),
    "organisation.move": _("Party organisation moved"),
    "organisation.merge": _("Merged into another organisation"),
    "organisation.merge_in": _("Received a merged organisation"),
    "organisation.units": _("Units led changed"),
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "unit.move": _("Unit moved"),
    "term.create": _("Committee term added"),
    "person.create": _("Person added"),
    "person.update": _("Person changed"),
    "person.link_user": _("Login linked to person"),
    "appointment.create": _("Post holder recorded"),
    "appointment.end": _("Appointment ended"),
    "role.assign": _("Role granted"),
    "role.revoke": _("Role revoked"),
    "document.register": _("Document registered"),
    "document.complete": _("Document known from a reference registered"),
    "document.placeholder": _("Document noted from a reference"),
    "document.withdraw": _("Document withdrawn"),
    "document.download": _("Confidential document's file downloaded"),
    "document.link": _("Documents linked"),
    "document.link_change": _("Relation between documents changed"),
    "document.unlink": _("Link between documents removed"),
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.token": _("API token issued"),
}
