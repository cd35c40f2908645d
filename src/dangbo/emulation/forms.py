"""Forms of the emulation pages. Criteria are typed — or pasted from Excel — one per line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, VNDateField
from dangbo.emulation.models import CriteriaSet, Movement, MovementModel
from dangbo.emulation.services import CriterionRow, ScoreInput
from dangbo.orgs.choices import OrganisationChoiceField, OrganisationMultipleChoiceField
from dangbo.orgs.models import Organisation, Unit
from dangbo.rules import emulation as rules
from dangbo.rules.vietnamese import fold, format_points, one_line

MANDATORY_WORDS = frozenset({"bb", "bat buoc", "dat/khong dat", "dat", "x"})
COLUMNS = (_("code"), _("criterion"), _("maximum points"), _("step"), _("guidance"))


def parse_rows(text: str) -> tuple[list[CriterionRow], list[str]]:
    """One criterion per line: code | title | maximum points (or "BB" for a mandatory pass/fail
    criterion; empty for a heading whose sub-criteria carry the points) | step | guidance. Cells
    pasted from Excel are separated by tabs. Errors name the line and the column."""
    rows: list[CriterionRow] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in (line.split("\t") if "\t" in line else line.split("|"))]
        cells += [""] * (5 - len(cells))
        if len(cells) > 5 and any(cells[5:]):
            errors.append(
                gettext("Line %(n)s: more than 5 columns (%(columns)s).")
                % {
                    "n": number,
                    "columns": ", ".join(str(c) for c in COLUMNS),
                }
            )
            continue
        code, title, maximum, step, guidance = cells[:5]
        mandatory = fold(maximum) in MANDATORY_WORDS
        values: dict[str, Decimal | None] = {"max": None, "step": None}
        for key, raw, column in (
            ("max", "" if mandatory else maximum, COLUMNS[2]),
            ("step", step, COLUMNS[3]),
        ):
            if not raw:
                continue
            try:
                values[key] = rules.parse_points(raw)
            except (ValueError, ArithmeticError):
                errors.append(
                    gettext(
                        "Line %(n)s, column “%(column)s”: “%(value)s” is not a number (write 7,5 or 7.5)."
                    )
                    % {"n": number, "column": column, "value": raw}
                )
        rows.append(
            CriterionRow(
                code=one_line(code).strip("."),
                title=one_line(title),
                max_points=values["max"],
                step=values["step"],
                mandatory=mandatory,
                guidance=guidance.replace("\\n", "\n"),
            )
        )
    return rows, errors


def rows_text(criteria_set: CriteriaSet) -> str:
    lines = []
    for c in criteria_set.criteria.order_by("position"):
        points = "BB" if c.mandatory else ("" if c.max_points is None else format_points(c.max_points))
        step = "" if c.step is None or c.step == criteria_set.default_step else format_points(c.step)
        guidance = c.guidance.replace("\n", "\\n")
        lines.append(" | ".join([c.code, c.title, points, step, guidance]).rstrip(" |"))
    return "\n".join(lines)


class CriteriaSetForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    default_step = forms.DecimalField(
        label=_("Scoring step"),
        initial=Decimal("0.25"),
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
    )
    criteria = forms.CharField(
        label=_("Criteria, one per line"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_(
            "code | criterion | maximum points (BB: mandatory, pass/fail; empty for a heading whose "
            "sub-criteria carry the points) | step (empty: the default) | guidance. Rows copied from "
            "Excel can be pasted as they are."
        ),
    )

    def clean_criteria(self) -> list[CriterionRow]:
        rows, errors = parse_rows(self.cleaned_data["criteria"])
        if errors:
            raise ValidationError(errors)
        return rows


class MovementForm(StyledForm):
    organisation = OrganisationChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name of the movement"), max_length=300)
    starts_on = VNDateField(label=_("From"))
    ends_on = VNDateField(label=_("Until"))
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    aggregation = forms.ChoiceField(label=_("Final score"), choices=Movement.Aggregation.choices)
    organisations = OrganisationMultipleChoiceField(
        label=_("Participating organisations (empty: every organisation under the organiser)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Participating business units (e.g. the provincial post offices)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            dissolved_on__isnull=True, depth__lte=2
        ).order_by("path")
        self.fields["units"].queryset = Unit.objects.filter(dissolved_on__isnull=True).order_by(  # type: ignore[attr-defined]
            "sort_key"
        )


class ModelForm(StyledForm):
    name = forms.CharField(label=_("Name of the model"), max_length=400)
    field = forms.ChoiceField(label=_("Field of work"), choices=MovementModel.Field.choices)
    tier = forms.ChoiceField(label=_("Tier"), choices=MovementModel.Tier.choices)
    criteria_set = forms.ModelChoiceField(label=_("Criteria set"), queryset=CriteriaSet.objects.none())
    goal = forms.CharField(label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resources = forms.CharField(
        label=_("Resources"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outputs = forms.CharField(
        label=_("Expected results"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    for_collectives = forms.BooleanField(label=_("Collectives may register"), required=False, initial=True)
    for_individuals = forms.BooleanField(label=_("Individuals may register"), required=False)

    def __init__(self, *args: Any, criteria_sets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = criteria_sets  # type: ignore[attr-defined]


class CouncilForm(StyledForm):
    username = forms.CharField(label=_("Login of the council member"), max_length=150)
    post = forms.CharField(label=_("Post"), max_length=200, required=False)
    chair = forms.BooleanField(label=_("Chair of the council"), required=False)


class DelegateForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    username = forms.CharField(label=_("Login of the unit's emulation officer"), max_length=150)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RegisterForm(StyledForm):
    model = forms.ModelChoiceField(label=_("Model"), queryset=MovementModel.objects.none())
    subject = forms.ChoiceField(label=_("Who registers"))
    plan = forms.CharField(
        label=_("Plan and commitments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, models: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = models  # type: ignore[attr-defined]
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]


class DecideForm(StyledForm):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ExemplarForm(StyledForm):
    story = forms.CharField(
        label=_("What other units can learn from it (empty: not an exemplar)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ScoreForm(forms.Form):
    """One row per directly scored criterion: points (or met / not met) and the evidence."""

    def __init__(
        self, *args: Any, criteria: list[Any], initial_scores: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            given = initial_scores.get(c.pk)
            if c.mandatory:
                self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                    label=f"{c.code}. {c.title}",
                    choices=[("", "—"), ("1", _("Met")), ("0", _("Not met"))],
                    coerce=lambda v: v == "1",
                    empty_value=None,
                    required=False,
                    initial=None if given is None or given.passed is None else ("1" if given.passed else "0"),
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            else:
                self.fields[f"c{c.pk}"] = forms.CharField(
                    label=f"{c.code}. {c.title}",
                    required=False,
                    max_length=12,
                    initial="" if given is None or given.points is None else format_points(given.points),
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm points",
                            "inputmode": "decimal",
                            "size": 6,
                        }
                    ),
                )
            self.fields[f"e{c.pk}"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                initial="" if given is None else given.evidence,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(c, self[f"c{c.pk}"], self[f"e{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, ScoreInput]:
        found: dict[int, ScoreInput] = {}
        for c in self.criteria:
            raw = self.cleaned_data.get(f"c{c.pk}")
            evidence = self.cleaned_data.get(f"e{c.pk}", "")
            if c.mandatory:
                if raw is not None or evidence:
                    found[c.pk] = ScoreInput(passed=raw, evidence=evidence)
                continue
            if raw in (None, "") and not evidence:
                continue
            try:
                points = rules.parse_points(raw) if raw else None
            except (ValueError, ArithmeticError):
                self.add_error(
                    f"c{c.pk}",
                    gettext("Criterion %(code)s: “%(value)s” is not a number.")
                    % {
                        "code": c.code,
                        "value": raw,
                    },
                )
                continue
            found[c.pk] = ScoreInput(points=points, evidence=evidence)
        return found
