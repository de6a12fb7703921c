"""What the family reads: each state of a case in plain words, with what happens next,
and which clocks are the police's promises to the family or the family's own windows.
Clocks about suspects (custody, arrest) are not here: a complainant is not told them."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.cases.states import State

PLAIN_WORDS: dict[str, tuple[Promise, Promise]] = {
    State.RECEIVED: (_("Your report has been registered."),
                     _("The police decide whether to open a criminal case. You will be told the decision.")),
    State.UNDER_REVIEW: (_("The police are checking the report to decide whether to open a criminal case."),
                         _("You will be told the decision, with the reasons if the answer is no.")),
    State.FILED: (_("The police opened a criminal case."),
                  _("Investigators gather evidence and look for the people responsible.")),
    State.INVESTIGATING: (_("The case is being investigated."),
                          _("When the investigation is complete, the police send the case to the procuratorate.")),
    State.NOT_FILED: (_("The police decided not to open a criminal case. You receive a written notice with the "
                        "reasons."),
                      _("You may apply for reconsideration within 7 days of receiving the notice, here or at the "
                        "police station, and ask the procuratorate to supervise the decision.")),
    State.SUSPENDED: (_("The investigation is paused because a suspect has not been found."),
                      _("The case is reviewed regularly and resumes as soon as there is news.")),
    State.REVOKED: (_("The police withdrew the case."),
                    _("Ask a question here if you want to know why.")),
    State.SENT_FOR_PROSECUTION: (_("The police sent the case to the procuratorate."),
                                 _("The procuratorate decides whether to prosecute, usually within one month.")),
    State.PROSECUTED: (_("The procuratorate brought the case to court."),
                       _("The court hears the case and gives its judgment.")),
    State.NOT_PROSECUTED: (_("The procuratorate decided not to prosecute."),
                           _("You may appeal within 7 days of receiving the decision, or bring the case to court "
                             "yourself.")),
    State.JUDGED: (_("The court has given its judgment."),
                   _("The case is closed once the time for appeals has passed.")),
    State.CLOSED: (_("The case is closed."), _("You can still read this page and ask questions here.")),
    # Not shown in practice: a merged report's portal follows the case it was merged into.
    State.MERGED: (_("Your report was added to a case already open about the same matter."),
                   _("This page follows that case.")),
}

# Clocks the police (or a partner) must meet for the family, in the family's words.
POLICE_PROMISES: dict[str, Promise] = {
    "filing_review": _("Decision whether to open a criminal case"),
    "filing_review_minor": _("Decision whether to open a criminal case"),
    "non_filing_notice": _("Written notice of the decision to you"),
    "reconsideration_decision": _("Decision on your application for reconsideration"),
    "review_decision": _("Decision on your application for review"),
    "supervision_reply": _("Reply after the procuratorate's supervision"),
    "family_question": _("Answer to your question"),
    "referral_first_contact": _("First contact from a support service"),
    "lab_result": _("Laboratory result"),
}

# Windows in which the family may act.
FAMILY_WINDOWS: dict[str, Promise] = {
    "reconsideration_application": _("You may apply for reconsideration until"),
    "review_application": _("You may apply for review by the next level up until"),
    "non_prosecution_appeal": _("You may appeal the decision not to prosecute until"),
}
