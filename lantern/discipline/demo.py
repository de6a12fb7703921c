"""Demo data: an accountability record on the Linxia replay (the first demo case), with a
disclosure the family reads in the portal. Synthetic only."""

from __future__ import annotations

from django.utils import timezone

from lantern.accounts.models import Unit, User
from lantern.cases.models import Case
from lantern.discipline.actions import OfficialIn, record_accountability
from lantern.discipline.models import AccountabilityRecord
from lantern.discipline.outcomes import Outcome


def load() -> bool:
    case = Case.objects.order_by("pk").first()  # the Linxia replay
    inspector = User.objects.filter(username="inspector").first()
    if case is None or inspector is None or AccountabilityRecord.objects.exists():
        return False
    brigade, bureau = Unit.objects.get(code="QS-XZDD"), Unit.objects.get(code="QS-GAJ")
    record_accountability(
        actor=inspector, case=case, outcome=Outcome.ORGANISATIONAL, decided_on=timezone.localdate(),
        officials=[OfficialIn(unit_id=brigade.pk, position="大队长", user_id=User.objects.get(username="supervisor").pk),
                   OfficialIn(unit_id=bureau.pk, position="副局长（分管刑侦）",
                              user_id=User.objects.get(username="county_head").pk)],
        finding="（演示）受案后未对被害人年龄认知、嫌疑人手机等关键证据开展调查，即以“没有犯罪事实”"
                "审批不予立案，审查把关不严。",
        disclosed_to_family=True,
        disclosure="（演示）经调查，清水县公安局在本案不予立案审批中把关不严，已对负有责任的大队长、"
                   "分管副局长作出调整职务的组织处理。检察机关正在对本案不立案一事进行立案监督。")
    return True
