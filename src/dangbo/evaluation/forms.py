"""Forms of the evaluation pages: large inputs (a cell secretary fills them on a telephone), points
written 7,5 or 7.5, whole numbers for the tasks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm
from dangbo.evaluation.labels import LEVEL_CHOICES
from dangbo.evaluation.models import Assessment
from dangbo.evaluation.services import SelfInput
from dangbo.orgs.choices import OrganisationChoiceField
from dangbo.orgs.models import Organisation
from dangbo.rules import emulation as points_rules
from dangbo.rules.vietnamese import format_points

LARGE = {"class": "form-control-lg"}


class RoundForm(StyledForm):
    organisation = OrganisationChoiceField(
        label=_("Deciding organisation"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label=_("Year evaluated"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000,
        widget=forms.NumberInput(attrs={**LARGE, "inputmode": "numeric", "min": 0}),
    )


class SelfForm(StyledForm):
    general_score = forms.CharField(
        label=_("General criteria (points)"),
        max_length=10,
        widget=forms.TextInput(attrs={**LARGE, "inputmode": "decimal", "autocomplete": "off"}),
    )
    task_score = forms.CharField(
        label=_("Results of tasks (points)"),
        max_length=10,
        widget=forms.TextInput(attrs={**LARGE, "inputmode": "decimal", "autocomplete": "off"}),
    )
    tasks_total = _count(_("Tasks assigned for the year"))
    tasks_done = _count(_("Tasks done"))
    tasks_on_time = _count(_("Tasks done on time"))
    tasks_exceeding = _count(_("Tasks done beyond requirements"))
    shortcomings = _count(_("Shortcomings pointed out earlier"))
    shortcomings_fixed = _count(_("Of which fixed"))
    disciplined = forms.BooleanField(
        label=_("A subordinate unit or a member of the leadership was disciplined this year"), required=False
    )
    strengths = forms.CharField(
        label=_("Strengths and results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    weaknesses = forms.CharField(
        label=_("Limitations, shortcomings and their causes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    remedies = forms.CharField(
        label=_("Direction and measures to overcome them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, assessment: Assessment, maxima: tuple[Decimal, Decimal], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", initial_of(assessment))
        super().__init__(*args, **kwargs)
        general, tasks = maxima
        self.fields["general_score"].help_text = gettext("0 to %(max)s points") % {
            "max": format_points(general)
        }
        self.fields["task_score"].help_text = gettext("0 to %(max)s points") % {"max": format_points(tasks)}
        if not assessment.collective:
            del self.fields["disciplined"]

    def _points(self, name: str) -> Decimal:
        raw = self.cleaned_data[name].strip()
        try:
            return points_rules.parse_points(raw)
        except (ValueError, ArithmeticError):
            raise ValidationError(
                gettext("“%(value)s” is not a number of points (write 7,5 or 7.5).") % {"value": raw}
            ) from None

    def clean_general_score(self) -> Decimal:
        return self._points("general_score")

    def clean_task_score(self) -> Decimal:
        return self._points("task_score")

    def data_in(self) -> SelfInput:
        values = self.cleaned_data
        return SelfInput(
            general_score=values["general_score"],
            task_score=values["task_score"],
            tasks_total=values["tasks_total"],
            tasks_done=values["tasks_done"],
            tasks_on_time=values["tasks_on_time"],
            tasks_exceeding=values["tasks_exceeding"],
            disciplined=values.get("disciplined", False),
            shortcomings=values["shortcomings"],
            shortcomings_fixed=values["shortcomings_fixed"],
            strengths=values["strengths"],
            weaknesses=values["weaknesses"],
            remedies=values["remedies"],
        )


def initial_of(assessment: Assessment) -> dict[str, Any]:
    if not assessment.self_assessed:
        return {"shortcomings": 0, "shortcomings_fixed": 0}
    names = [name for name in SelfInput.__dataclass_fields__]
    initial = {name: getattr(assessment, name) for name in names}
    for name in ("general_score", "task_score"):
        initial[name] = format_points(initial[name])
    return initial


class LevelTableForm(forms.Form):
    """One row per assessment: a level (and a remark). Field names carry the assessment's id, as the
    services' errors do (`level_12`, `note_12`)."""

    def __init__(self, *args: Any, rows: list[Assessment], field: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        note_field = "proposal_note" if field == "proposed_level" else "decision_note"
        for a in rows:
            initial = (
                getattr(a, field) or (a.proposed_level if field == "decided_level" else "") or a.self_level
            )
            self.fields[f"level_{a.pk}"] = forms.ChoiceField(
                label=a.subject_name,
                choices=[("", "—"), *LEVEL_CHOICES],
                required=False,
                initial=initial,
                disabled=not a.self_assessed,
                widget=forms.Select(
                    attrs={"class": "form-select form-select-lg level", "data-collective": int(a.collective)}
                ),
            )
            self.fields[f"note_{a.pk}"] = forms.CharField(
                label=_("Remark"),
                required=False,
                max_length=500,
                initial=getattr(a, note_field),
                disabled=not a.self_assessed,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def table(self) -> list[tuple[Assessment, Any, Any]]:
        return [(a, self[f"level_{a.pk}"], self[f"note_{a.pk}"]) for a in self.rows]

    def levels(self) -> dict[int, tuple[str, str]]:
        """The chosen (level, remark) of each row that has one."""
        chosen: dict[int, tuple[str, str]] = {}
        for a in self.rows:
            level = self.cleaned_data.get(f"level_{a.pk}") or ""
            if level and a.self_assessed:
                chosen[a.pk] = (level, self.cleaned_data.get(f"note_{a.pk}") or "")
        return chosen
