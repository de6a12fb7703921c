from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search box: finds cases within what the user may see, by the matchers
    registered with cases.matchers (the built-in ones are registered here)."""

    name = "lantern.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from lantern.search import history, matchers

        matchers.register()
        history.register()  # how a search reads in the audit log
