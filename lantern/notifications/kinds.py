"""What each kind of notification says, as a table. A notification stores its kind and
plain parameters (the case number, codes, dates; never a name, a phone or the account of
what happened) and is worded when it is read, in the reader's language; an e-mail carries
Simplified Chinese with English below, since a mail has no language switch.

A translated parameter (the title of a legal time limit) is stored in every language at
the moment it is written, because the app that knows it may sit above this one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

I18N = "i18n"  # the key of a parameter stored in every language: {"i18n": {"zh-hans": ..., "en": ...}}


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise  # what the inbox filter and the API documentation call it
    title: Promise  # %(name)s parameters; "number" is always the case number
    body: Promise


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("assigned", _("Assigned to a case"),
         _("You were assigned to case %(number)s"),
         _("You were put on the team of case %(number)s. Open the case to see its time limits and "
           "checklist.")),
    Kind("approval_awaited", _("A proposal awaits your approval"),
         _("A proposal awaits your approval: case %(number)s"),
         _("The proposal %(proposal)s in case %(number)s awaits your approval (level %(level)s).")),
    Kind("decision_made", _("Your proposal was decided"),
         _("Your proposal was %(outcome)s: case %(number)s"),
         _("Your proposal %(proposal)s in case %(number)s was %(outcome)s. The reasons are on the case.")),
    Kind("minor_case", _("A minor's case registered"),
         _("A minor's case was registered: %(number)s"),
         _("Case %(number)s, with a victim under 18, was registered in your unit. The minors' shorter "
           "time limits apply.")),
    Kind("non_filing_in_jurisdiction", _("A non-filing decision in your jurisdiction"),
         _("A non-filing decision in your jurisdiction: case %(number)s"),
         _("The police decided not to file case %(number)s, in your jurisdiction; the decision is now "
           "before the procuratorate for supervision.")),
    Kind("explanation_requested", _("The procuratorate asks for an explanation"),
         _("The procuratorate asks why case %(number)s was not filed"),
         _("The procuratorate asked the police to explain the decision not to file case %(number)s. "
           "Submit the explanation within its time limit.")),
    Kind("transfer_awaited", _("A transfer awaits acceptance"),
         _("A transfer awaits your acceptance: case %(number)s"),
         _("Case %(number)s is being transferred to your unit. Accept or refuse the transfer on the case.")),
    Kind("transfer_accepted", _("A transfer accepted"),
         _("Transfer accepted: case %(number)s is now with %(unit)s"),
         _("%(unit)s accepted the transfer of case %(number)s. The reasons are on the case.")),
    Kind("transfer_refused", _("A transfer refused"),
         _("Transfer refused: case %(number)s stays with %(unit)s"),
         _("%(receiving)s refused to take case %(number)s. The reasons are on the case.")),
    Kind("link_alert", _("A link to another case"),
         _("Case %(number)s is linked to another case"),
         _("An identifier in case %(number)s also appears in another case. Open the case's links to "
           "see what you may.")),
    Kind("registry_hit", _("A suspect on the offender registry"),
         _("A suspect in case %(number)s is on the offender registry"),
         _("A suspect in case %(number)s matches a registered sex offender. Open the case's links to "
           "see the entry and whom to contact.")),
    Kind("access_report_ready", _("The weekly access report"),
         _("Access report for the week to %(day)s"),
         _("The access report for the week to %(day)s is ready: %(users)s users read cases outside their "
           "teams, %(spikes)s cases were read by unusually many people. Review it under Access report.")),
    Kind("registry_check_hit", _("An institution's registry check found a record"),
         _("Registry check: %(institution)s found a record on %(day)s"),
         _("%(institution)s, which your unit serves, checked a job applicant on %(day)s and the offence registry "
           "answered hit. It was told to contact %(unit)s before hiring. Follow up under Registry checks.")),
    Kind("registry_check_instruction", _("A registry check answered hit"),
         _("Registry check of %(day)s: contact the police before hiring"),
         _("A check your institution made on %(day)s answered hit. Do not offer the post until you have "
           "contacted %(unit)s, which has been told. The answer says nothing more about the person.")),
    Kind("deadline_overdue", _("A time limit is overdue"),
         _("Overdue: %(rule)s, case %(number)s"),
         _("The deadline “%(rule)s” of case %(number)s passed on %(due)s (%(ref)s). Escalated to "
           "%(who)s. Open Lantern to act.")),
)}


class _Params(dict):
    """Parameters as a format mapping: a translated one in the active language, a missing
    one as a dash (a caller that leaves one out gets a readable message, not an error)."""

    def __missing__(self, key: str) -> str:
        return "-"

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key) if key in self else self.__missing__(key)
        if isinstance(value, Mapping) and I18N in value:
            texts = value[I18N]
            return texts.get(translation.get_language() or "") or texts.get(settings.LANGUAGE_CODE) or "-"
        return value


def freeze(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON: a lazily translated one is written in every language."""
    frozen: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, Promise):
            texts = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    texts[code] = str(value)
            frozen[key] = {I18N: texts}
        elif value is None or isinstance(value, bool | int | float):
            frozen[key] = value
        else:
            frozen[key] = str(value)
    return frozen


def render(kind: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The title and the message in the active language."""
    spec = KINDS[kind]
    values = _Params(params)
    return str(spec.title) % values, str(spec.body) % values


def render_in(language: str, kind: str, params: Mapping[str, Any]) -> tuple[str, str]:
    with translation.override(language):
        return render(kind, params)
