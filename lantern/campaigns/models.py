"""A campaign (专项行动): a name, a period, a scope (a unit and its subtree) and its
priorities; and the pre-aggregated figures its dashboard reads (FigureCell), refreshed by
a periodic job (campaigns.scheduled), never a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    MINORS = "minors", _("Minor victims")
    ONLINE_DATING = "online_dating", _("Online dating")
    HISTORICAL = "historical", _("Historical cases")
    FUGITIVES = "fugitives", _("Fugitives")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("scope"), on_delete=models.PROTECT,
                             related_name="+")  # the unit and its subtree (Unit.path)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)  # Priority values
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_ordered")]

    def __str__(self) -> str:
        return self.name

    @property
    def priority_labels(self) -> list[str]:
        return [str(Priority(p).label) for p in self.priorities if p in Priority.values]


class Grain(models.TextChoices):
    DAY = "D", _("Day")
    MONTH = "M", _("Month")
    # A month's rows summed over the age bands (age_band "*"): what a dashboard without an
    # age-band filter reads, five times fewer rows.
    MONTH_ALL_BANDS = "A", _("Month, all age bands")
    # The same for a day: the ragged ends of a period without an age-band filter.
    DAY_ALL_BANDS = "E", _("Day, all age bands")
    # All months summed (period and month: ALL_TIME): a whole-period table not grouped by
    # month reads one row per unit, band, figure and bucket, however many months there are.
    ALL_TIME = "T", _("All time")
    ALL_TIME_ALL_BANDS = "U", _("All time, all age bands")


ALL_TIME = "0001-01-01"  # the period (and month) of the all-time rows


class FigureCell(models.Model):
    """One figure's count for one day (or month), handling unit and age band; for a
    histogram figure (days to decision) one row per bucket. Month rows are the sums of the
    day rows, so a long period reads a few thousand rows, not one per day."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    period = models.DateField()  # the day, or the first day of the month
    month = models.DateField()  # the first day of the period's month (grouping by month)
    # accounts.Unit, no constraint: rebuilt wholesale. Negative: the sum over that unit's
    # subtree (a rollup; campaigns.cells), which a scope holding the whole subtree reads.
    unit_id = models.IntegerField()
    age_band = models.CharField(max_length=16)
    figure = models.CharField(max_length=60)
    bucket = models.SmallIntegerField(default=0)
    value = models.IntegerField()

    class Meta:
        # Every read is one grain for a set of units (rollups among them) over a range of
        # periods: one index descent per unit; the other
        # columns are included so that PostgreSQL answers from the index alone.
        indexes = [models.Index(fields=["grain", "unit_id", "period"], name="figurecell_read_idx",
                                include=["month", "age_band", "figure", "bucket", "value"])]


class FigureRefresh(models.Model):
    """When the figures were last computed (one row): the page says "figures as of"."""

    as_of = models.DateTimeField()
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # The unit tree the rollups were summed over (campaigns.cells.units_digest): once a unit
    # moves, the readers use each unit's own rows until the next refresh.
    units_digest = models.CharField(max_length=64, blank=True, default="")
