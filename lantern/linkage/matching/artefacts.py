"""Trained matching models as versioned artefacts: Splink's settings JSON (m and u
probabilities, the prior, the comparisons; no records and no term-frequency tables) with
what it was trained on. Scoring uses the latest version, else the model shipped in the
repository (``default_model.json``, trained on synthetic persons), so a fresh install
scores intake at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action

DEFAULT_MODEL = Path(__file__).with_name("default_model.json")


class MatchModel(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    settings = models.JSONField(_("Splink settings"))
    trained_on = models.PositiveIntegerField(_("records trained on"))
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        app_label = "linkage"
        ordering = ["-version"]
        get_latest_by = "version"

    def __str__(self) -> str:
        return f"match model v{self.version}"


@dataclass(frozen=True)
class Trained:
    """A model ready to score: ``version`` 0 is the shipped default. ``trained_on`` (how
    many records) scales the prior to another population: see ``prior_for``."""

    version: int
    settings: dict[str, Any]
    trained_on: int = 0

    def prior_for(self, population: int) -> float:
        """The probability that two random records match among ``population`` records: each
        person has about as many duplicates in any population, so it falls as 1/N."""
        prior = float(self.settings["probability_two_random_records_match"])
        if not self.trained_on or population < 2:
            return prior
        return min(prior * (self.trained_on - 1) / (population - 1), 0.5)


@cache
def default_model() -> Trained:
    """The file holds what a MatchModel row holds: settings, trained_on and notes."""
    shipped = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    return Trained(0, shipped["settings"], int(shipped["trained_on"]))


def latest_version() -> int:
    return MatchModel.objects.aggregate(v=Max("version"))["v"] or 0


_loaded: dict[tuple[int, Any], Trained] = {}


def current_model() -> Trained:
    """The latest stored version (one indexed query when it is already loaded), else the default."""
    latest = MatchModel.objects.order_by("-version").values_list("version", "created_at").first()
    if latest is None:
        return default_model()
    if latest not in _loaded:  # keyed by the time too: a rolled-back version's number comes again
        _loaded.clear()
        row = MatchModel.objects.get(version=latest[0])
        _loaded[latest] = Trained(row.version, row.settings, row.trained_on)
    return _loaded[latest]


def strip_values(settings: dict[str, Any]) -> dict[str, Any]:
    """What of a trained model is kept: no term-frequency tables (which hold values), no
    uid of the training run."""
    kept = {k: v for k, v in settings.items() if k not in ("linker_uid",)}
    for comparison in kept["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return kept


@action
def store_match_model(*, actor: Any, settings: dict[str, Any], trained_on: int, notes: str = "") -> MatchModel:
    """A newly trained model becomes the next version (and the one scoring uses)."""
    version = latest_version() + 1
    stored = MatchModel.objects.create(version=version, settings=strip_values(settings), trained_on=trained_on,
                                       notes=notes[:1000])
    record(actor=actor, action=Event.LINKAGE_MATCH_MODEL_TRAINED, obj=stored,
           details={"version": version, "trained_on": trained_on})
    return stored
