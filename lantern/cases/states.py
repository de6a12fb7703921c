from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "RECEIVED", _("Received")
    UNDER_REVIEW = "UNDER_REVIEW", _("Under review")
    NOT_FILED = "NOT_FILED", _("Not filed")
    FILED = "FILED", _("Filed")
    INVESTIGATING = "INVESTIGATING", _("Investigating")
    SUSPENDED = "SUSPENDED", _("Suspended")
    REVOKED = "REVOKED", _("Revoked")
    SENT_FOR_PROSECUTION = "SENT_FOR_PROSECUTION", _("Sent for prosecution")
    PROSECUTED = "PROSECUTED", _("Prosecuted")
    NOT_PROSECUTED = "NOT_PROSECUTED", _("Not prosecuted")
    JUDGED = "JUDGED", _("Judged")
    CLOSED = "CLOSED", _("Closed")
    # A second report of a case already registered: kept, with its own receipt, as a record
    # linked to the case that carries the work (merged_into). No workflow of its own.
    MERGED = "MERGED", _("Merged into another case")


# Where a case can still be worked on: every state but the end of the road (a closed case)
# and a merged report, whose work is done on the case it was merged into.
OPEN_STATES = frozenset(State) - {State.CLOSED, State.MERGED}
# Where the investigation is concluded (侦查终结) or over: sent on, revoked, or beyond.
CONCLUDED_STATES = frozenset({State.SENT_FOR_PROSECUTION, State.PROSECUTED, State.NOT_PROSECUTED,
                              State.JUDGED, State.REVOKED, State.CLOSED})


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    CALL_110 = "call_110", _("110 call")
    ONLINE = "online", _("Online")
    MANDATORY_REPORT = "mandatory_report", _("Mandatory report from an institution")
    REFERRAL = "referral", _("Referral")
    MEDIA = "media", _("Media / public attention")
    POLICE_DISCOVERED = "police_discovered", _("Clue discovered by police")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Indicator(models.TextChoices):
    """Mandatory-filing triggers (2023 joint opinion art. 5): the case must be filed directly."""

    PREGNANCY = "pregnancy", _("Victim under 14 is pregnant")
    PREGNANCY_ENDED = "pregnancy_ended", _("Minor victim's pregnancy was terminated, or she gave birth")
    INTELLECTUAL_DISABILITY = "intellectual_disability", _("Minor victim with an intellectual disability")
    GENITAL_INJURY = "genital_injury", _("Clear abnormal injury to the genitals or private parts")
    CHILD_PROSTITUTION = "child_prostitution", _("Child prostitution")


class Trigger(models.TextChoices):
    """What made a NOT_FILED case move again: "decisions changed only after media exposure"
    is a figure the campaign must drive to zero, so it is recorded, never inferred."""

    NEW_FACTS = "new_facts", _("New facts or evidence")
    RECONSIDERATION = "reconsideration", _("Reconsideration")
    REVIEW = "review", _("Review by the next level up")
    PROCURATORATE_NOTICE = "procuratorate_notice", _("Procuratorate's notice to file")
    MEDIA_EXPOSURE = "media_exposure", _("Media exposure")
    SUPERVISOR_INITIATIVE = "supervisor_initiative", _("Supervisor's own review")
