"""How the institutions' events read in the audit log (registered from InstitutionsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lantern.audit import readable
from lantern.audit.events import Event
from lantern.audit.readable import said

SAID = {
    Event.INSTITUTION_REPORT_FILED: gettext_lazy("%(actor)s filed a mandatory report"),
    Event.INSTITUTION_REPORT_ATTACHMENT: gettext_lazy("%(actor)s handed in a file with a mandatory report"),
    Event.INSTITUTION_FEEDBACK_GIVEN: gettext_lazy("%(actor)s gave the reporting institution feedback"),
    Event.INSTITUTION_QUESTION_ASKED: gettext_lazy("%(actor)s asked a question about a mandatory report"),
    Event.INSTITUTION_QUESTION_ANSWERED: gettext_lazy("%(actor)s answered the reporting institution's question"),
    Event.INSTITUTION_NON_REPORTING_RECORDED: gettext_lazy(
        "%(actor)s recorded that an institution knew and did not report"),
    Event.INSTITUTION_REGISTRY_CHECKED: gettext_lazy("%(actor)s checked a job applicant against the offence registry"),
    Event.INSTITUTION_REGISTRY_BULK_UPLOADED: gettext_lazy(
        "%(actor)s uploaded a list of staff to check against the offence registry"),
    Event.INSTITUTION_REGISTRY_CHECK_LIMITED: gettext_lazy(
        "%(actor)s was refused a registry check: the institution's limit for the day"),
}


def register() -> None:
    for event, message in SAID.items():
        readable.register(event, said(message))
