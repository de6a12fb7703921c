from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The shell at the top of the layer order: home page and its panels, navigation,
    the admin site and the demo loader. It may use every app; no app uses it."""

    name = "lantern.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from lantern.site.backup import audited

        audited.register_renderings()


class LanternAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Lantern's site as the default, so each app registers its
    models with ``admin.register`` and never imports the site that shows them."""

    default = False  # named in INSTALLED_APPS; SiteConfig is this module's default
    default_site = "lantern.site.admin_site.LanternAdminSite"
