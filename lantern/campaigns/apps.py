from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "lantern.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns and their figures")

    def ready(self) -> None:
        from lantern.access import policy
        from lantern.campaigns import history, rules
        from lantern.campaigns.models import Campaign

        policy.register_rule(Campaign, rules.CampaignRule())
        history.register()
