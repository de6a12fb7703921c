"""The institution's forms: a mandatory report, a registry check and a bulk check. They
parse what was typed; the services decide, and their refusals are placed beside the
fields they name (``place_refusal``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.cases.states import Indicator, Sex
from lantern.core.errors import LanternError
from lantern.institutions.models import CheckPurpose
from lantern.institutions.schemas import MandatoryReportIn

MINUTE = "%Y-%m-%dT%H:%M"


class MandatoryReportForm(forms.Form):
    observed_at = forms.DateTimeField(
        label=_("Observed at"), initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
        help_text=_("When you noticed what you report (Beijing time)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MINUTE))
    offence_date = forms.DateField(label=_("Offence date, if known"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    narrative = forms.CharField(label=_("What was observed"), max_length=20000,
                                help_text=_("What you saw or heard, and from whom: facts, not conclusions."),
                                widget=forms.Textarea(attrs={"rows": 6}))
    child_name = forms.CharField(label=_("Child's name"), max_length=100)
    child_sex = forms.ChoiceField(label=_("Child's sex"), choices=Sex.choices)
    child_date_of_birth = forms.DateField(label=_("Child's date of birth"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))
    child_estimated_age = forms.IntegerField(label=_("or estimated age"), required=False, min_value=0,
                                             max_value=120)
    indicators = forms.MultipleChoiceField(label=_("Observed (the police must then file a case)"),
                                           choices=Indicator.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    reporter_name = forms.CharField(label=_("Your name"), max_length=100)
    reporter_phone = forms.CharField(label=_("Your telephone"), max_length=32, min_length=5,
                                     help_text=_("The police call this number about the report."))
    reporter_position = forms.CharField(label=_("Your position"), max_length=60, required=False,
                                        help_text=_("e.g. class teacher, school doctor, front desk"))
    file = forms.FileField(label=_("A file, if you have one"), required=False,
                           help_text=_("A medical record or a photo of an injury: kept encrypted as evidence."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("child_date_of_birth") is None and data.get("child_estimated_age") is None:
            self.add_error("child_date_of_birth", _("Give a date of birth or an estimated age."))
        return data

    def filed(self) -> MandatoryReportIn:
        """The form's answers as the one description of a mandatory report (raises
        pydantic's ValidationError where it breaks a bound; ``field_for`` places it)."""
        d = self.cleaned_data
        child = {"name": d["child_name"], "sex": d["child_sex"], "date_of_birth": d.get("child_date_of_birth"),
                 "estimated_age": d.get("child_estimated_age")}
        return MandatoryReportIn.model_validate({
            "observed_at": d["observed_at"], "offence_date": d.get("offence_date"), "narrative": d["narrative"],
            "child": {k: v for k, v in child.items() if v is not None}, "indicators": d.get("indicators", []),
            "reporter": {"name": d["reporter_name"], "phone": d["reporter_phone"],
                         "position": d.get("reporter_position", "")}})

    def field_for(self, location: tuple[Any, ...]) -> str | None:
        """The form field of a place in the report: ("child", "name") -> child_name. The
        intake service names the child "victim", as on every report."""
        parts = [str(p) for p in location]
        if parts and parts[0] == "victim":
            parts[0] = "child"
        if parts == ["child"]:  # neither a date of birth nor an age
            return "child_date_of_birth"
        name = "_".join(parts[:2])
        return name if name in self.fields else None


class CheckForm(forms.Form):
    """One applicant. The service checks every field (the same words as the API); the
    browser is only asked to insist on what is required."""

    name = forms.CharField(label=_("Applicant's name"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"required": True, "autocomplete": "off"}))
    id_number = forms.CharField(label=_("Resident ID number"), max_length=32, required=False,
                                widget=forms.TextInput(attrs={"required": True, "autocomplete": "off",
                                                              "inputmode": "text", "spellcheck": "false"}))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CheckPurpose.choices, required=False)
    applicant_consent = forms.BooleanField(
        label=_("The applicant's written consent to this check is on file"), required=False,
        widget=forms.CheckboxInput(attrs={"required": True}))


class BulkCheckForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False,
                           help_text=_("First line: name (姓名) and id_number (身份证号); one person a line; "
                                       "UTF-8 or Excel's Chinese CSV; at most 5,000 lines."),
                           widget=forms.FileInput(attrs={"accept": ".csv,text/csv", "required": True}))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CheckPurpose.choices, required=False)
    applicant_consent = forms.BooleanField(
        label=_("Every person in the file gave written consent to this check"), required=False,
        widget=forms.CheckboxInput(attrs={"required": True}))


def place_refusal(form: forms.Form, exc: LanternError, place: Any = None) -> None:
    """A service's refusal beside the fields it names; anything else above the form."""
    place = place or (lambda location: ".".join(location) if ".".join(location) in form.fields else None)
    placed = False
    for name, problems in exc.details.items():
        if isinstance(problems, list) and all(isinstance(p, str) for p in problems):
            form.add_error(place(tuple(name.split("."))), problems)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))
