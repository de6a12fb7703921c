"""The sex-offence registry, fed by convictions (DOMAIN.md, "Linkage, networks, registry";
Minors Protection Law art. 62). Institutions' hit / no-hit queries come in a later issue;
they will search the blind index of the ID number, never the names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.core.vault.fields import EncryptedTextField
from lantern.linkage.matching.artefacts import MatchModel  # noqa: F401  (the app's models are found here)


class RegistryEntry(models.Model):
    suspect = models.OneToOneField("cases.Suspect", on_delete=models.PROTECT, related_name="registry_entry")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="registry_entries")
    name = EncryptedTextField(_("name"))
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)  # people.blind, kind id_number
    convicted_at = models.DateTimeField(_("convicted at"))
    judgment_reference = EncryptedTextField(_("judgment"))
