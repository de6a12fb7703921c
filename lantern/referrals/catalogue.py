"""Services a victim or family may be referred to, what consent may share, and how a
referral's status moves (the table itself: referrals.moves): the law and the campaign's
policy as data (DOMAIN.md, "Victims, families
and services"). First-contact periods are policy, not law; the legal reference says why
the service is owed at all."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.deadlines.arithmetic import Period, Unit
from lantern.deadlines.rules import MINORS_2023

MINORS_LAW = "《未成年人保护法》(2020)"


class ServiceKind(models.TextChoices):
    LEGAL_AID = "legal_aid", _("Legal aid")
    COUNSELLING = "counselling", _("Psychological counselling")
    MEDICAL = "medical", _("Medical care")
    JUDICIAL_ASSISTANCE = "judicial_assistance", _("Judicial assistance (司法救助)")
    SCHOOLING = "schooling", _("Schooling")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs (guardianship)")
    WOMENS_FEDERATION = "womens_federation", _("Women's federation")


@dataclass(frozen=True)
class Service:
    kind: ServiceKind
    first_contact: Period
    legal_reference: str


SERVICES: dict[str, Service] = {s.kind.value: s for s in (
    Service(ServiceKind.LEGAL_AID, Period(3, Unit.WORKING_DAYS), "《法律援助法》(2021)第二十九条"),
    Service(ServiceKind.COUNSELLING, Period(3, Unit.WORKING_DAYS), f"{MINORS_2023}；{MINORS_LAW}"),
    Service(ServiceKind.MEDICAL, Period(24, Unit.HOURS), MINORS_2023),
    Service(ServiceKind.JUDICIAL_ASSISTANCE, Period(10, Unit.WORKING_DAYS),
            "《关于建立完善国家司法救助制度的意见（试行）》(2014)"),
    Service(ServiceKind.SCHOOLING, Period(5, Unit.WORKING_DAYS), MINORS_LAW),
    Service(ServiceKind.CIVIL_AFFAIRS, Period(1, Unit.DAYS), f"{MINORS_LAW}第九十二条"),
    Service(ServiceKind.WOMENS_FEDERATION, Period(5, Unit.WORKING_DAYS), "《妇女权益保障法》(2022)"),
)}


class Shared(models.TextChoices):
    """What a consent lets the partner see. The pseudonym and the need are always shared:
    without them there is no referral. Never the narrative, the evidence or the suspects."""

    AGE_BAND = "age_band", _("Age band")
    CONTACT = "contact", _("Contact route (phone or e-mail given for this referral)")


class GivenBy(models.TextChoices):
    VICTIM = "victim", _("The victim")
    GUARDIAN = "guardian", _("The guardian")


class ContactRoute(models.TextChoices):
    CASE_TEAM = "case_team", _("Through the case officer")
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By e-mail")


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress (first contact made)")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked")


OPEN = frozenset({Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS})
PARTNER, POLICE = "partner", "police"
