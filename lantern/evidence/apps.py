from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "lantern.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from lantern.cases import sections
        from lantern.evidence.sections import case_section

        sections.register(sections.Section(key="evidence", template="evidence/_case_sections.html",
                                           context=case_section, slot="work", order=10))
