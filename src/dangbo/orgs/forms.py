from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, VNDateField, VNDateInput
from dangbo.orgs.choices import OrganisationChoiceField, PersonChoiceField
from dangbo.orgs.labels import ORG_KIND_LABELS, ROLE_LABELS, UNIT_KIND_LABELS
from dangbo.orgs.models import CommitteeTerm, Organisation, Person, PositionType, Unit

# Kept for forms written against the old name: a dd/mm/yyyy text box. Use VNDateField (core.forms),
# which also reads what the box shows; a plain forms.DateField would not.
DATE_INPUT = VNDateInput()


class TreeNodeForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        required=False,
        help_text=_("Issuer code used in document numbers, e.g. ĐU, ĐUK."),
    )
    kind = forms.ChoiceField(label=_("Kind"))
    place = forms.CharField(
        label=_("Place name on documents"),
        max_length=100,
        required=False,
        help_text=_(
            "Printed before the date of its documents, e.g. Hà Nội. Empty: as the organisation above."
        ),
    )

    def __init__(self, *args: Any, model: type, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if model is not Organisation:
            del self.fields["place"]
        labels = ORG_KIND_LABELS if model is Organisation else UNIT_KIND_LABELS
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.value, v) for k, v in labels.items()]


class MoveForm(StyledForm):
    new_parent = OrganisationChoiceField(label=_("Move under"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = queryset  # type: ignore[attr-defined]


class MergeForm(StyledForm):
    target = OrganisationChoiceField(label=_("Merge into"), queryset=Organisation.objects.none())
    on = VNDateField(label=_("Effective date"))

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset  # type: ignore[attr-defined]


class TermForm(StyledForm):
    name = forms.CharField(label=_("Term"), max_length=50, help_text=_("For example 2025–2030."))
    starts_on = VNDateField(label=_("Starts on"))
    ends_on = VNDateField(label=_("Ends on"), required=False)


class AppointmentForm(StyledForm):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    position = forms.ModelChoiceField(label=_("Post"), queryset=PositionType.objects.none())
    term = forms.ModelChoiceField(label=_("Term"), queryset=CommitteeTerm.objects.none(), required=False)
    starts_on = VNDateField(label=_("From"))
    ends_on = VNDateField(label=_("Until"), required=False)
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)

    def __init__(self, *args: Any, people: Any, place: Organisation | Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        system = (
            PositionType.System.PARTY if isinstance(place, Organisation) else PositionType.System.BUSINESS
        )
        self.fields["position"].queryset = PositionType.objects.filter(system=system)  # type: ignore[attr-defined]
        if isinstance(place, Organisation):
            self.fields["term"].queryset = place.terms.all()  # type: ignore[attr-defined]
        else:
            del self.fields["term"]


class EndAppointmentForm(StyledForm):
    ends_on = VNDateField(label=_("Ends on"))


class PersonForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_date = VNDateField(label=_("Date of birth"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    unit = forms.ModelChoiceField(label=_("Business unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RoleForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=[(k.value, v) for k, v in ROLE_LABELS.items()])

    def __init__(self, *args: Any, roles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            # The list offers only the roles this grantor may hand out (orgs.services.grantable_roles); any
            # other still reaches the service, whose refusal says why.
            offered = {str(r) for r in roles}
            field = self.fields["role"]
            field.widget.choices = [(k, v) for k, v in field.choices if k in offered]  # type: ignore[attr-defined]

    def clean_username(self) -> Any:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("No login with this user name."))
        return user
