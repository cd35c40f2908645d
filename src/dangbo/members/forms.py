from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.forms import StyledForm, VNDateField
from dangbo.members.labels import EVENT_LABELS
from dangbo.members.models import PartyMember
from dangbo.orgs.choices import OrganisationChoiceField, PersonChoiceField
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.membership import EventKind


class AdmitForm(StyledForm):
    person = PersonChoiceField(label=pgettext_lazy("admission", "Person"), queryset=Person.objects.none())
    admitted_on = VNDateField(label=_("Admitted on (date of the admission decision)"))
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    higher_approval = forms.BooleanField(label=_("Over 60: approved by the higher committee"), required=False)
    national_id = forms.CharField(label=_("Citizen identity number"), max_length=12, required=False)
    card_no = forms.CharField(label=_("Party card number"), max_length=20, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]

    def clean_national_id(self) -> str | None:
        return self.cleaned_data["national_id"] or None

    def clean_card_no(self) -> str | None:
        return self.cleaned_data["card_no"] or None


class EventForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[(k.value, v) for k, v in EVENT_LABELS.items() if k is not EventKind.ADMITTED],
    )
    on = VNDateField(label=_("Date"))
    official = forms.BooleanField(label=_("Official (not temporary)"), required=False, initial=True)
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    other_party = forms.CharField(label=_("From / to (outside this system)"), max_length=255, required=False)
    to_organisation = OrganisationChoiceField(
        label=_("Transferred in to (party cell)"), queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, cells: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = cells  # type: ignore[attr-defined]


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
    dry_run = forms.BooleanField(label=_("Check only, do not write"), required=False, initial=True)
    skip_bad_rows = forms.BooleanField(
        label=_("Write the good rows even if some rows are wrong"), required=False
    )


PERSON_PART = ("full_name", "gender", "birth_date")


class _PersonPart(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_date = VNDateField(label=_("Date of birth"), required=False)


def _record_fields() -> dict[str, Any]:
    fields = forms.fields_for_model(PartyMember, fields=PartyMember.RECORD_FIELDS)
    for field in fields.values():
        field.required = False
    return fields


# The person's name, sex and birth date, then the register columns of the record, labelled as the model.
RecordForm = type("RecordForm", (_PersonPart,), _record_fields())


class EventCorrectionForm(StyledForm):
    on = VNDateField(label=_("Date"))
    official = forms.BooleanField(label=_("Official (not temporary)"), required=False)
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    other_party = forms.CharField(label=_("From / to (outside this system)"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    reason = forms.CharField(label=_("Reason for the correction (kept in the log)"), max_length=500)


class EventRemovalForm(StyledForm):
    reason = forms.CharField(label=_("Reason for removing it (kept in the log)"), max_length=500)


class BadgeAwardForm(StyledForm):
    """Badges given at a ceremony: the members ticked in the list, one decision."""

    awarded_on = VNDateField(label=_("Awarded on"))
    decision_no = forms.CharField(label=_("Decision number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
