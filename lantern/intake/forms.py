from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.cases.states import Channel, Indicator, Sex
from lantern.intake.schemas import ReportIn
from lantern.standards.law import DEFAULT_OFFENCES, Offence

SUSPECT_ROWS = 3
NESTED = ("victim", "complainant")  # victim_name is the report's victim.name, and so on
TOP_LEVEL = ("received_at", "channel", "offence_date", "narrative", "indicators", "offences")


class IntakeForm(forms.Form):
    received_at = forms.DateTimeField(label=_("Received at"), initial=lambda: timezone.localtime().replace(second=0),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format="%Y-%m-%dT%H:%M"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    offence_date = forms.DateField(label=_("Offence date"), widget=forms.DateInput(attrs={"type": "date"}))
    narrative = forms.CharField(label=_("What happened"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    victim_name = forms.CharField(label=_("Victim's name"), max_length=100)
    victim_sex = forms.ChoiceField(label=_("Victim's sex"), choices=Sex.choices)
    victim_date_of_birth = forms.DateField(label=_("Victim's date of birth"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))
    victim_estimated_age = forms.IntegerField(label=_("or estimated age"), required=False, min_value=0,
                                              max_value=120)
    victim_id_number = forms.CharField(label=_("Victim's ID number"), max_length=32, required=False)
    complainant_name = forms.CharField(label=_("Complainant's name"), max_length=100)
    complainant_relation = forms.CharField(label=_("Relation to the victim"), max_length=40)
    complainant_phone = forms.CharField(label=_("Complainant's phone"), max_length=32, required=False)
    complainant_email = forms.EmailField(label=_("Complainant's e-mail"), max_length=254, required=False,
                                         help_text=_("The family portal sends sign-in codes and news here."))
    indicators = forms.MultipleChoiceField(label=_("Observed now (the case must then be filed)"),
                                           choices=Indicator.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    offences = forms.MultipleChoiceField(label=_("Offences reported (the principal one first)"),
                                         choices=Offence.choices, initial=list(DEFAULT_OFFENCES), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    merge_into = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for n in range(1, SUSPECT_ROWS + 1):
            self.fields[f"suspect_{n}_name"] = forms.CharField(label=_("Suspect %(n)s: name") % {"n": n},
                                                               max_length=100, required=False)
            self.fields[f"suspect_{n}_phone"] = forms.CharField(label=_("phone"), max_length=32, required=False)
            self.fields[f"suspect_{n}_account"] = forms.CharField(
                label=_("platform account (platform:handle)"), max_length=140, required=False)
            self.fields[f"suspect_{n}_id_number"] = forms.CharField(label=_("ID number"), max_length=32,
                                                                    required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("victim_date_of_birth") is None and data.get("victim_estimated_age") is None:
            self.add_error("victim_date_of_birth", _("Give a date of birth or an estimated age."))
        return data

    def suspects(self) -> list[tuple[str, str, list[dict[str, str]], str]]:
        rows = []
        for n in range(1, SUSPECT_ROWS + 1):
            name = self.cleaned_data.get(f"suspect_{n}_name", "")
            phone = self.cleaned_data.get(f"suspect_{n}_phone", "")
            account = self.cleaned_data.get(f"suspect_{n}_account", "")
            id_number = self.cleaned_data.get(f"suspect_{n}_id_number", "")
            accounts = []
            if account:
                platform, _sep, handle = account.partition(":")
                accounts = [{"platform": platform.strip() if handle else "", "handle": (handle or platform).strip()}]
            if name or phone or accounts or id_number:
                rows.append((name, phone, accounts, id_number))
        return rows

    def report(self) -> ReportIn:
        """The form's answers as the one description of a report (intake.schemas); raises
        pydantic's ValidationError where it breaks a bound (``field_for`` places it)."""
        data: dict[str, Any] = {key: self.cleaned_data[key] for key in TOP_LEVEL}
        data["offences"] = data["offences"] or list(DEFAULT_OFFENCES)  # none ticked: the intake default
        for prefix in NESTED:
            data[prefix] = {name.removeprefix(f"{prefix}_"): value for name, value in self.cleaned_data.items()
                            if name.startswith(f"{prefix}_") and value is not None}
        data["suspects"] = [{"name": name, "phone": phone, "accounts": accounts, "id_number": id_number}
                            for name, phone, accounts, id_number in self.suspects()]
        return ReportIn.model_validate(data)

    def field_for(self, location: tuple[Any, ...]) -> str | None:
        """The form field of a place in the report ("victim", "name") -> victim_name."""
        if location and location[0] == "suspects" and len(location) >= 3:
            part = "account" if location[2] == "accounts" else location[2]
            name = f"suspect_{int(location[1]) + 1}_{part}"
        else:
            name = "_".join(str(p) for p in location[:2])
        return name if name in self.fields else None
