from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """The policy and the roles. Each app registers the rules for its own models from its
    AppConfig.ready (accounts: units and users; audit: entries; cases: cases and their
    children), so this app knows none of them."""

    name = "lantern.access"
    label = "access"
    verbose_name = _("Access policy")
