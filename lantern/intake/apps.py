from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lantern.intake"
    label = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from lantern.cases import sections
        from lantern.core.vault import pseudonyms
        from lantern.intake import history as intake_history
        from lantern.intake.sections import record_section
        from lantern.intake.selectors import former_values

        intake_history.register()  # how its audit events read (audit.readable)
        pseudonyms.REPLACEMENTS.register(former_values)
        sections.register(sections.Section(key="record", template="intake/_record.html", context=record_section,
                                           slot="work", order=5))
