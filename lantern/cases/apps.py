from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lantern.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from lantern.cases import access, sections, team  # noqa: F401  (access registers the case rule)

        sections.register(sections.Section(key="transfer", template="cases/_transfer.html",
                                           context=team.case_section, slot="family", order=10))
