from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lantern.accounts"
    label = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self) -> None:
        from lantern.accounts import history as accounts_history
        from lantern.accounts import rules  # noqa: F401  (registers the access rules)

        accounts_history.register()  # how its audit events read (audit.readable)
