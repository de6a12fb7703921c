from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "lantern.oversight"
    label = "oversight"
    verbose_name = _("Oversight and statistics")

    def ready(self) -> None:
        from lantern.cases import events
        from lantern.deadlines import events as clock_events
        from lantern.evidence import interviews
        from lantern.oversight import services

        events.action_taken.register(services.on_action)
        events.facts_changed.register(services.on_case_event)
        clock_events.clock_changed.register(services.on_case_event)
        interviews.interview_recorded.register(services.on_case_event)
