from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "lantern.linkage"
    label = "linkage"
    verbose_name = _("Linkage and the offender registry")

    def ready(self) -> None:
        from lantern.cases import events, sections
        from lantern.linkage import fuzzy, history, linking, registry, selectors
        from lantern.linkage.matching import history as matching_history
        from lantern.people import events as people_events

        events.convicted.register(registry.register_convictions)
        people_events.indexed.register(linking.on_indexed)
        people_events.indexed.register(fuzzy.on_indexed)  # after the exact links
        people_events.retracted.register(linking.on_retracted)
        people_events.retracted.register(fuzzy.on_retracted)
        history.register()
        matching_history.register()
        sections.register(sections.Section(key="links", template="linkage/_case_links.html",
                                           context=selectors.case_section, order=60))
