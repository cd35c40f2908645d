"""Forms of the study pages. They parse input only: the services validate and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, VNDateField
from dangbo.documents.models import StudyConfirmation
from dangbo.members.models import PartyMember
from dangbo.orgs.choices import OrganisationChoiceField, organisation_label
from dangbo.orgs.models import Organisation

Channel = StudyConfirmation.Channel


class AssignForm(StyledForm):
    organisation = OrganisationChoiceField(
        label=_("Members of"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Every member in activity of this organisation and the organisations below it."),
    )
    start_on = VNDateField(label=_("From"))
    due_on = VNDateField(label=_("Deadline"))
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "e.g. study at the regular cell meeting of the month; the conference's slides are attached."
        ),
    )

    def __init__(self, *args: Any, organisations: Any, base_depth: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].label_from_instance = (  # type: ignore[attr-defined]
            lambda o: "— " * max(0, o.depth - base_depth) + organisation_label(o)
        )
        self.fields["start_on"].initial = timezone.localdate()


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Reason for cancelling (kept in the log)"), max_length=500)


class RecordForm(StyledForm):
    """The cell secretary ticks the members who studied the document at a meeting."""

    members: forms.ModelMultipleChoiceField[PartyMember] = forms.ModelMultipleChoiceField(
        label=_("Members who studied it"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one member.")},
    )
    studied_on = VNDateField(label=_("Studied on (e.g. the meeting's date)"))
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[(Channel.MEETING, _("At a cell meeting")), (Channel.OFFICE, _("Learnt by the office"))],
        initial=Channel.MEETING,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: m.person.full_name  # type: ignore[attr-defined]
        field.widget.attrs["class"] = "form-check-input"
        self.fields["studied_on"].initial = timezone.localdate()
