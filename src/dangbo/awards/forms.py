"""Forms of the award pages: a proposal with the figures the records cannot tell, a step of the
workflow, a decision with the proposals it decides and the awards it gives outside the workflow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangbo.awards.labels import FLAG_LABELS, LEVEL_LABELS, TASK_RATING_LABELS
from dangbo.awards.models import AwardType, Proposal
from dangbo.awards.services import AwardEntry, EnteredFacts
from dangbo.core.forms import StyledForm, VNDateField
from dangbo.orgs.choices import OrganisationChoiceField
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules.vietnamese import fold, one_line

YES_NO = [("", _("not stated")), ("yes", _("yes")), ("no", _("no"))]
LEVELS = [(k.value, v) for k, v in LEVEL_LABELS.items()]


def _figure(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=1_000_000)


class ProposalForm(StyledForm):
    proposer = forms.ChoiceField(label=_("Proposed by"))
    award_type = forms.ModelChoiceField(label=_("Title or form of award"), queryset=AwardType.objects.none())
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=1945, max_value=2100)
    achievements = forms.CharField(
        label=_("Achievements"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    task_rating = forms.ChoiceField(
        label=_("Task rating of the year"),
        required=False,
        choices=[("", _("not stated")), *((k.value, v) for k, v in TASK_RATING_LABELS.items())],
    )
    months_employed = _figure(_("Months since recruitment (individuals)"))
    initiative_year = forms.IntegerField(
        label=_("Year of a recognised initiative"), required=False, min_value=1945, max_value=2100
    )
    initiative_scope = forms.ChoiceField(
        label=_("Recognised at the level of"), required=False, choices=[("", "—"), *LEVELS]
    )
    spirit = forms.ChoiceField(label=FLAG_LABELS["spirit"], required=False, choices=YES_NO)  # type: ignore[index]
    emulation = forms.ChoiceField(label=FLAG_LABELS["emulation"], required=False, choices=YES_NO)  # type: ignore[index]
    united = forms.ChoiceField(label=FLAG_LABELS["united"], required=False, choices=YES_NO)  # type: ignore[index]
    members = _figure(_("Members of the collective"))
    members_completed = _figure(_("Members who completed their tasks"))
    members_ldtt = _figure(_("Members rated Lao động tiên tiến (empty: counted from the records)"))
    members_cstd_cs = _figure(_("Members rated Chiến sĩ thi đua cơ sở (empty: counted from the records)"))
    members_disciplined = _figure(_("Members disciplined at warning level or above"))
    override = forms.BooleanField(
        label=_("Submit although a prerequisite is not met (emulation council only)"), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for submitting anyway"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, proposers: list[tuple[str, str]], individual: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposer"].choices = proposers  # type: ignore[attr-defined]
        kinds = AwardType.objects.filter(in_force=True)
        kinds = kinds.filter(for_individuals=True) if individual else kinds.filter(for_collectives=True)
        self.fields["award_type"].queryset = kinds  # type: ignore[attr-defined]
        if individual:
            for name in ("emulation", "united", *(n for n in self.fields if n.startswith("members"))):
                del self.fields[name]
        else:
            for name in ("months_employed", "spirit"):
                del self.fields[name]

    def entered(self) -> EnteredFacts:
        data = self.cleaned_data
        initiatives: tuple[tuple[int, str], ...] = ()
        if data.get("initiative_year") and data.get("initiative_scope"):
            initiatives = ((data["initiative_year"], data["initiative_scope"]),)
        flags = {name: data[name] == "yes" for name in ("spirit", "emulation", "united") if data.get(name)}
        return EnteredFacts(
            task_rating=data.get("task_rating") or "",
            months_employed=data.get("months_employed"),
            initiatives=initiatives,
            flags=flags,
            members=data.get("members"),
            members_completed=data.get("members_completed"),
            members_ldtt=data.get("members_ldtt"),
            members_cstd_cs=data.get("members_cstd_cs"),
            members_disciplined=data.get("members_disciplined"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("initiative_year")) != bool(data.get("initiative_scope")):
            self.add_error("initiative_scope", gettext("Give both the year and the level of the initiative."))
        return data


class TransitionForm(StyledForm):
    to = forms.ChoiceField(choices=[(s.value, s.label) for s in Proposal.Status], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (the reason, when not approved)"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    raised_to = forms.CharField(label=_("Raised to (the higher level)"), required=False, max_length=300)


def _by_name(queryset: QuerySet[Any], name: str, field: str) -> list[Any]:
    folded = fold(name)
    return [
        o for o in queryset.filter(search_text__contains=folded)[:20] if fold(getattr(o, field)) == folded
    ]


class DecisionForm(StyledForm):
    organisation = OrganisationChoiceField(label=_("Registered by"), queryset=Organisation.objects.none())
    number = forms.CharField(label=_("Number"), max_length=60)
    signed_on = VNDateField(label=_("Date of the decision"))
    issuer = forms.CharField(label=_("Issued by"), max_length=300)
    issuer_level = forms.ChoiceField(label=_("Level of the issuer"), choices=LEVELS)
    signer_name = forms.CharField(label=_("Signed by"), required=False, max_length=150)
    signer_post = forms.CharField(label=_("Signer's post"), required=False, max_length=200)
    place = forms.CharField(label=_("Place name (on the certificate)"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=1945, max_value=2100)
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals decided"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    entries = forms.CharField(
        label=_("Awards given outside the proposals, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "code of the title or form | name of the person, party organisation or unit | what for "
            "(optional), e.g. GK | Bưu điện tỉnh Lạng Sơn | Hoàn thành xuất sắc nhiệm vụ năm 2020"
        ),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, organisers: Any, proposals: Any, people: Any, units: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["proposals"].queryset = proposals  # type: ignore[attr-defined]
        self.fields["proposals"].widget.attrs["class"] = "list-unstyled"
        self._people, self._units, self._organisations = people, units, organisers

    def clean_entries(self) -> list[AwardEntry]:
        entries: list[AwardEntry] = []
        errors: list[str] = []
        kinds = {k.code.lower(): k for k in AwardType.objects.all()}
        for number, line in enumerate(self.cleaned_data["entries"].splitlines(), start=1):
            if not line.strip():
                continue
            cells = [one_line(c) for c in (line.split("\t") if "\t" in line else line.split("|"))]
            cells += [""] * (3 - len(cells))
            code, name, citation = cells[0], cells[1], " ".join(cells[2:]).strip()
            kind = kinds.get(code.lower())
            if kind is None:
                errors.append(
                    gettext("Line %(n)s: “%(code)s” is not a code of the catalogue (e.g. GK, BK_TTG, CO_CP).")
                    % {"n": number, "code": code}
                )
                continue
            found = (
                _by_name(self._people, name, "full_name")
                + _by_name(self._organisations, name, "name")
                + _by_name(self._units, name, "name")
            )
            if not name or not found:
                errors.append(
                    gettext("Line %(n)s: no person, party organisation or unit named “%(name)s”.")
                    % {"n": number, "name": name}
                )
            elif len(found) > 1:
                errors.append(
                    gettext(
                        "Line %(n)s: %(count)s records are named “%(name)s”: give the award from their page."
                    )
                    % {"n": number, "count": len(found), "name": name}
                )
            else:
                subject: Person | Organisation | Unit = found[0]
                entries.append(AwardEntry(kind, subject, citation))
        if errors:
            raise ValidationError(errors)
        return entries
