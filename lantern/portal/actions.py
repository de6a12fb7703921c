"""What the family does in the portal besides asking questions: apply for
reconsideration of a non-filing (the workflow's own row, its 7-day window checked) and
withdraw a consent to a referral. The family is the actor; audit entries say so."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.cases import workflow
from lantern.cases.models import Case
from lantern.core.actions import action
from lantern.core.errors import NotFound, ValidationFailed
from lantern.deadlines.escalation import ESCALATION
from lantern.notifications.services import notify
from lantern.portal.models import PortalSession
from lantern.referrals.models import Consent
from lantern.referrals.services import end_consent

MAX_GROUNDS = 5000


@action
def apply_for_reconsideration(*, session: PortalSession, grounds: str) -> Case:
    grounds = grounds.strip()
    if not grounds or len(grounds) > MAX_GROUNDS:
        raise ValidationFailed(details={"grounds": [_("Say in your own words why the decision should be "
                                                       "reconsidered (at most 5,000 characters).")]})
    # A merged report's complainant applies on the case it was merged into.
    case = workflow.perform_for_family(case=session.case.merged_into or session.case, name="apply_reconsideration",
                                       payload={"grounds": grounds})
    notify(recipients=ESCALATION[0].recipients(case), kind="reconsideration", case=case,
           title=_("The family applied for reconsideration online, case %(number)s") % {"number": case.case_number},
           body=_("Decide the reconsideration in Lantern within its deadline."))
    return case


@action
def withdraw_consent_from_portal(*, session: PortalSession, consent_id: int) -> Consent:
    consent = Consent.objects.filter(pk=consent_id, case_id=session.case_id).first()
    if consent is None:  # another case's consent does not exist for this family
        raise NotFound()
    consent = end_consent(consent, by=None, via="portal")
    record(actor=None, action=Event.PORTAL_CONSENT_WITHDRAWN, obj=session.case,
           details={"consent": consent.pk, "session": session.pk})
    return consent
