from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lantern.referrals"
    label = "referrals"
    verbose_name = _("Referrals to partner agencies")

    def ready(self) -> None:
        from lantern.cases import sections
        from lantern.referrals import access  # noqa: F401  (registers the access rules)
        from lantern.referrals.selectors import case_section

        sections.register(sections.Section(key="referrals", template="referrals/_case_sections.html",
                                           context=case_section, slot="family", order=20))
        from lantern.referrals import history as referrals_history

        referrals_history.register()  # how its audit events read (audit.readable)
