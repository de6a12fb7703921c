from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "lantern.standards"
    label = "standards"
    verbose_name = _("Evidence standards")

    def ready(self) -> None:
        from lantern.access import policy
        from lantern.standards import checks, history, rules  # noqa: F401 (checks registers itself)
        from lantern.standards.models import Template

        policy.register_rule(Template, rules.TemplateRule())
        history.register()
