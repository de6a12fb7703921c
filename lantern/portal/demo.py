"""Demo data for families and partners: which services the demo partner agencies provide,
and one case a visitor can follow in the family portal (README lists its code and secret).
Synthetic only."""

from __future__ import annotations

from lantern.accounts.models import Unit, User
from lantern.cases.models import Case, Complainant
from lantern.intake.services import portal_secret_digest
from lantern.portal import questions, signin
from lantern.referrals.catalogue import ServiceKind
from lantern.referrals.models import Referral
from lantern.referrals.services import add_partner_service, refer_with_consent

DEMO_TRACKING_CODE = "FAMLY23456"
DEMO_SECRET = "lantern-family"
PARTNERS = {"QS-FLYZ": [ServiceKind.LEGAL_AID, ServiceKind.JUDICIAL_ASSISTANCE],
            "QS-XLZX": [ServiceKind.COUNSELLING, ServiceKind.SCHOOLING]}


def load() -> bool:
    for code, services in PARTNERS.items():
        for service in services:
            add_partner_service(actor=None, partner=Unit.objects.get(code=code), service=service)
    case = Case.objects.order_by("pk").first()  # the Linxia replay
    if case is None or Referral.objects.exists():
        return False
    case.tracking_code, case.portal_secret_hash = DEMO_TRACKING_CODE, portal_secret_digest(DEMO_TRACKING_CODE,
                                                                                          DEMO_SECRET)
    case.save(update_fields=["tracking_code", "portal_secret_hash"])
    Complainant.objects.filter(case=case).update(email="family@example.invalid")
    officer = User.objects.get(username="investigator")
    refer_with_consent(actor=officer, case=case, service=ServiceKind.LEGAL_AID, partner_code="QS-FLYZ",
                       given_by="guardian", shared=["age_band"], need="（演示）需要法律援助律师代理被害人。",
                       contact_route="case_team")
    refer_with_consent(actor=officer, case=case, service=ServiceKind.COUNSELLING, partner_code="QS-XLZX",
                       given_by="guardian", shared=["age_band"], need="（演示）孩子夜间惊醒，需要心理疏导。",
                       contact_route="case_team")
    session = signin.sign_in_with_secret(tracking_code=DEMO_TRACKING_CODE, secret=DEMO_SECRET).session
    first = questions.ask_question(session=session, text="（演示）孩子需要再次去做笔录吗？")
    questions.answer_question(actor=officer, question=first,
                              answer="（演示）一般只询问一次；确需补充时会先经领导批准，并通知您陪同。")
    questions.ask_question(session=session, text="（演示）鉴定结果什么时候能出来？", kind="information")
    signin.sign_out(session=session)
    return True
