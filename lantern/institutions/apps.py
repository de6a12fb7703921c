from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """Mandatory reports from institutions (强制报告): filing, the police's feedback within
    the opinion's period, the institution's questions, and the institutions that knew and
    did not report."""

    name = "lantern.institutions"
    label = "institutions"
    verbose_name = _("Institutions and mandatory reports")

    def ready(self) -> None:
        from lantern.cases import events as case_events
        from lantern.cases.matchers import register_matcher
        from lantern.institutions import history, rules, sections, services
        from lantern.institutions.selectors import RECEIPT_MATCHER

        rules.register()
        history.register()
        sections.register()
        register_matcher(RECEIPT_MATCHER)
        case_events.case_moved.register(services.on_case_moved)
