"""A case and the people in it. Identity fields (names, phones, ID numbers, dates of
birth, platform accounts) and the narrative are encrypted columns (people.fields): the
database and its backups hold envelope tokens, never the values. Searchable
identifiers have blind indexes in people.Identifier. Nothing here writes them to logs,
URLs or audit entries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.cases.states import Channel, Sex, State, Trigger
from lantern.core import memo
from lantern.core.vault.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField

# Case columns only the database writes (triggers in migration 0015): never saved from Python.
DATABASE_KEPT = frozenset({"next_due_at", "procuratorate_involved"})


class Case(models.Model):
    # Empty only inside the registering transaction: the number is drawn last, so the unit's
    # counter row stays locked for the commit alone (see intake.services._case_number).
    case_number = models.CharField(_("case number"), max_length=40, unique=True, null=True)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.RECEIVED)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("handling unit"), on_delete=models.PROTECT,
                             related_name="cases")
    intake_unit = models.ForeignKey("accounts.Unit", verbose_name=_("intake unit"), on_delete=models.PROTECT,
                                    related_name="intake_cases")
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    offence_date = models.DateField(_("offence date"))
    narrative = EncryptedTextField(_("narrative"))
    indicators = models.JSONField(_("mandatory-filing indicators"), default=list, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    age_band = models.CharField(_("age band"), max_length=16)
    is_minor = models.BooleanField(_("minor victim"), default=False)  # also in flags; a column for scoping
    is_historical = models.BooleanField(_("historical case"), default=False)
    # The offences the case is recorded under (standards.law.Offence), principal first; with
    # the age band they choose the evidence standard's templates, kept in ``templates`` at the
    # versions in force when the case was registered.
    offences = models.JSONField(_("offences"), default=list, blank=True)
    templates = models.ManyToManyField("standards.Template", verbose_name=_("evidence standard"), blank=True,
                                       related_name="+")
    reopen_trigger = models.CharField(_("reopened by"), max_length=32, choices=Trigger.choices, blank=True)
    tracking_code = models.CharField(max_length=16, unique=True)
    portal_secret_hash = models.CharField(max_length=128)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_reports")  # a duplicate is merged, never dropped
    # The procuratorate that decided whether to prosecute: the victim's appeal against a
    # decision not to prosecute goes to the one above it (CPL art. 180).
    prosecuting_unit = models.ForeignKey("accounts.Unit", verbose_name=_("prosecuting procuratorate"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the case's soonest running clock runs out (None: no clock running). Written by the
    # database alone, by triggers on the clocks (migration 0015), so no code path that starts,
    # stops or extends a clock can leave it stale; never saved from Python (save() below).
    # The lists sort and filter a whole prefecture's cases by it: from this column's index
    # a page costs its own rows, where a subquery per case cost every visible case.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)
    # A procuratorate was brought in before prosecution: a supervision opened or an arrest
    # approval requested (CPL arts. 87, 113). Set by triggers like next_due_at, and never
    # unset: it puts the case in the prosecutors' lists (cases.access) as a column, where
    # an OR of subqueries over proceedings and suspects' events read every case.
    procuratorate_involved = models.BooleanField(_("procuratorate involved"), default=False, db_default=False,
                                                 editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "unit"], name="case_state_unit_idx"),
                   models.Index(fields=["-received_at"], name="case_received_idx"),
                   # The lists' orders (queues.ordered): priority, and soonest deadline first.
                   models.Index(fields=["-is_minor", "next_due_at", "-received_at", "id"], name="case_priority_idx"),
                   models.Index(fields=["next_due_at", "id"], name="case_next_due_idx"),
                   # The lists by case number, read from the index alone (queues.ordered).
                   models.Index(fields=["unit", "case_number"], include=["id", "merged_into"],
                                name="case_unit_number_idx"),
                   # The merged reports a user sees through their cases (cases.access, every
                   # search and list of a page view) from the index alone: the foreign key's
                   # index made it fetch each merged report's row (107 ms at a million cases,
                   # 15 ms with this one; both stay: the foreign key's is the field's own).
                   models.Index(fields=["merged_into"], include=["id"], condition=Q(merged_into__isnull=False),
                                name="case_merged_into_idx")]

    def __str__(self) -> str:
        return self.case_number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A whole-row save of a case loaded before a clock changed would write the old
        # deadline back over the trigger's: the column is left to the database.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [f.attname for f in self._meta.concrete_fields
                                       if not f.primary_key and f.attname not in DATABASE_KEPT]
        super().save(*args, **kwargs)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    def suspects_in_order(self) -> list[Suspect]:
        """The suspects as the pages number them (Suspect 1, 2, … by pk). Read once per GET
        (core.memo): the case page's sections each list them, and were eight reads."""
        return memo.remembered(("suspects", self.pk), lambda: list(self.suspects.order_by("pk")))

    def decisions_in_order(self) -> list[Decision]:
        """The filing decisions, first proposed first, read once per GET (core.memo): the
        pending proposal, the buttons' guards, the documents and the history each ask."""
        return memo.remembered(("decisions", self.pk), lambda: list(
            self.decisions.select_related("proposed_by").order_by("proposed_at", "pk")))

    def pending_decision(self) -> Decision | None:
        """The proposal waiting for its approvals (one at a time; the first by id)."""
        pending = [d for d in self.decisions_in_order() if d.status == DecisionStatus.PENDING]
        return min(pending, key=lambda d: d.pk, default=None)

    def assignments_in_order(self) -> list[Assignment]:
        """Everyone ever on the team (``active`` those on it now), first assigned first,
        read once per GET (core.memo): the team section, the JSON, the guards and the
        history each ask."""
        return memo.remembered(("assignments", self.pk), lambda: list(
            self.assignments.select_related("user").order_by("assigned_at", "pk")))

    def current_team(self) -> list[Any]:
        """The users on the team now, by username."""
        return sorted((a.user for a in self.assignments_in_order() if a.active), key=lambda u: u.username)

    def proceedings_in_order(self) -> list[Proceeding]:
        """The proceedings, first opened first, read once per GET (core.memo)."""
        return memo.remembered(("proceedings", self.pk), lambda: list(self.proceedings.order_by("opened_at", "pk")))


class Victim(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="victim")
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    name = EncryptedTextField(_("name"))
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)  # or an estimated age
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_at_offence = models.PositiveSmallIntegerField(_("age at the offence"))

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(date_of_birth__isnull=False) | Q(estimated_age__isnull=False), name="victim_age_known")]


class Complainant(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="complainant")
    name = EncryptedTextField(_("name"))
    relation = models.CharField(_("relation to the victim"), max_length=40)
    phone = EncryptedTextField(_("phone"), blank=True)
    # Where the family portal sends one-time sign-in codes and news of the case (never its details).
    email = EncryptedTextField(_("e-mail"), blank=True, default="")


class SuspectStatus(models.TextChoices):
    UNIDENTIFIED = "unidentified", _("Unidentified")
    IDENTIFIED = "identified", _("Identified")
    AT_LARGE = "at_large", _("At large")
    DETAINED = "detained", _("Detained (刑事拘留)")
    ARREST_REQUESTED = "arrest_requested", _("Arrest approval requested")
    ARRESTED = "arrested", _("Arrested (逮捕)")
    ON_BAIL = "on_bail", _("Released on bail pending trial (取保候审)")
    CHARGED = "charged", _("Charged")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class Suspect(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspects")
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    accounts = EncryptedJSONField(_("platform accounts"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SuspectStatus.choices,
                              default=SuspectStatus.UNIDENTIFIED)
    # Known for a suspect identified during the investigation (intake.supplements.add_suspect).
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True, default="")
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)


class SuspectEvent(models.Model):
    """A suspect's history, one row per change of status (suspects.change_status)."""

    suspect = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=SuspectStatus.choices)
    to_status = models.CharField(max_length=20, choices=SuspectStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Judgment(models.Model):
    """The court's judgment for one suspect, as recorded on the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="judgments")
    suspect = models.OneToOneField(Suspect, on_delete=models.PROTECT, related_name="judgment")
    verdict = models.CharField(_("verdict"), max_length=12)  # convicted / acquitted
    charges = models.CharField(_("charges"), max_length=500, blank=True)
    sentence = models.CharField(_("sentence"), max_length=500, blank=True)
    reference = EncryptedTextField(_("judgment"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()


class ColdCaseReview(models.Model):
    """A periodic re-examination of a suspended case: what was checked again, what came of it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cold_case_reviews")
    reviewed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rechecked = models.JSONField(default=list)  # keys of COLD_CASE_CHECKS
    findings = EncryptedTextField(_("findings"))

    class Meta:
        ordering = ["-reviewed_at"]


class Assignment(models.Model):
    """The case team: investigators put on the case by a supervisor."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    # Taken off the team by a supervisor (remove_from_team): the row stays, as the history of the team.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    end_reason = EncryptedTextField(blank=True, default="")  # may name people

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], condition=Q(active=True),
                                               name="one_active_assignment")]


class DecisionKind(models.TextChoices):
    FILE = "file", _("File the case")
    NOT_FILE = "not_file", _("Do not file")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Decision(models.Model):
    """A proposal to file or not to file, decided by other people than the proposer."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING)
    reason = EncryptedTextField()  # written reasons may name people
    trigger = models.CharField(max_length=32, choices=Trigger.choices, blank=True)
    approvals_needed = models.PositiveSmallIntegerField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(status="pending"),
                                               name="one_open_decision_per_case")]


class Approval(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()  # 1: supervisor; 2: the level above
    approved = models.BooleanField()
    reason = EncryptedTextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "approver"], name="one_vote_per_approver")]


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="checklist")
    key = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)
    # The item of the evidence standard it came from: its title, what satisfies it, its clock.
    template_item = models.ForeignKey("standards.TemplateItem", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="one_item_per_key")]


class ItemObjection(models.Model):
    """A prosecutor's "not satisfied" on a checklist item, in supervision of a non-filing:
    the item reopens for the police, and a non-filing cannot be approved until they have
    worked it again (``answered_at``)."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="objections")
    reason = EncryptedTextField(_("reason"))  # written reasons may name people
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class ProceedingKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Reconsideration (复议)")
    REVIEW = "review", _("Review by the next level up (复核)")
    SUPERVISION = "supervision", _("Procuratorate supervision (立案监督)")
    PROSECUTION_APPEAL = "prosecution_appeal", _("Victim's appeal against non-prosecution (申诉)")


class ProceedingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXPLANATION_REQUESTED = "explanation_requested", _("Explanation requested")
    EXPLANATION_SUBMITTED = "explanation_submitted", _("Explanation submitted")
    NOTICE_TO_FILE = "notice_to_file", _("Notice to file given")
    UPHELD = "upheld", _("Non-filing upheld")
    OVERTURNED = "overturned", _("Non-filing overturned")


class Proceeding(models.Model):
    """Reconsideration, review and procuratorate supervision attached to a NOT_FILED case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proceedings")
    kind = models.CharField(max_length=24, choices=ProceedingKind.choices)
    status = models.CharField(max_length=24, choices=ProceedingStatus.choices, default=ProceedingStatus.OPEN)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    automatic = models.BooleanField(default=False)  # a minor's non-filing goes to the procuratorate by itself
    explanation = EncryptedTextField(blank=True)
    grounds = EncryptedTextField(blank=True, default="")  # the applicant's own words (e.g. sent from the portal)
    outcome_reason = EncryptedTextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Supervision goes on after the notice to file: a filed case not concluded within three
    # months is chased by letter (立案监督案件催办函, SPP Rules 2019 art. 564).
    chased_at = models.DateTimeField(null=True, blank=True)
    chase_letter = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["opened_at"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"],
                                               condition=~Q(status__in=["upheld", "overturned"]),
                                               name="one_open_proceeding_per_kind")]


class NoticeDelivery(models.Model):
    """The non-filing notice (不予立案通知书) handed to the complainant."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    delivered_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=40)


class CaseCounter(models.Model):
    """Per unit and year, the last case number issued. Numbers have no gaps (a missing
    number would look like a deleted case), so the row is locked until commit."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_counter_per_unit_year")]


class DocumentKind(models.TextChoices):
    """The documents a complainant receives (cases.documents has their wording)."""

    RECEIPT = "receipt", _("Receipt (受案回执)")
    NON_FILING_NOTICE = "non_filing_notice", _("Non-filing notice (不予立案通知书)")
    RECONSIDERATION_DECISION = "reconsideration_decision", _("Reconsideration decision (复议决定书)")
    REVIEW_DECISION = "review_decision", _("Review decision (复核决定书)")
    SUPERVISION_REPLY = "supervision_reply", _("Procuratorate's reply: non-filing reasons upheld")


class IssuedDocument(models.Model):
    """A document's number, drawn once in its issuing unit's series when it is first
    printed and kept for every reprint (a reprint with a new number would be a second
    document). ``subject`` is what it decides: the approved decision or the proceeding."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    subject = models.CharField(max_length=40)  # "decision:12", "proceeding:5", "case"
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(max_length=80)  # as printed: a renamed unit does not renumber old documents
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # null: first fetched by the family on the portal

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "subject"], name="one_number_per_document"),
            models.UniqueConstraint(fields=["unit", "kind", "year", "serial"], name="one_document_per_serial"),
        ]


class DocumentCounter(models.Model):
    """Per issuing unit, document kind and year, the last serial drawn (gap-free, like
    CaseCounter: the row stays locked until commit)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year"], name="one_counter_per_series")]


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class CaseTransfer(models.Model):
    """A case handed to another police unit (jurisdiction, or a higher unit taking a major
    case), in force once the receiving unit accepts. The row stays: it is how the sending
    unit keeps the record of what it handed on, and it gives no access to the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    reason = EncryptedTextField()  # written reasons may name people
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(status="pending"),
                                               name="one_pending_transfer_per_case")]
