"""python manage.py create_admin USERNAME [--unit CODE] [--password-file F]: the first
administrator of a new installation (production has no demo accounts and the admin site
needs an administrator to create the others). The password is read from a file (mode 600,
for scripts) or asked twice at the terminal, never taken on the command line where ps and
the shell history would show it; the second factor is enrolled at the first sign-in, as
for every account. Audited as created from the command line."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.access.roles import Role
from lantern.accounts.actions import create_user
from lantern.accounts.models import Unit
from lantern.core.context import origin
from lantern.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Create an administrator account (the first one of a new installation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--unit", help="the code of the unit the administrator belongs to (optional)")
        parser.add_argument("--password-file", help="read the password from this file instead of asking")
        parser.add_argument("--display-name", default="")

    def handle(self, *args: Any, username: str, unit: str | None, password_file: str | None, display_name: str,
               **options: Any) -> None:
        home = self._unit(unit)
        password = self._password(password_file)
        try:
            with origin("cli"), transaction.atomic():
                user = create_user(actor=None, username=username, password=password, unit=home,
                                   roles=[Role.ADMINISTRATOR], display_name=display_name)
        except ValidationFailed as exc:
            problems = "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in exc.details.items())
            raise CommandError(_("Not created. %(problems)s") % {"problems": problems}) from exc
        self.stdout.write(_("Administrator %(username)s created. Sign in at /accounts/sign-in/ and enrol the "
                            "authenticator app when asked.") % {"username": user.username})

    def _unit(self, code: str | None) -> Unit | None:
        if code is None:
            return None
        try:
            return Unit.objects.get(code=code)
        except Unit.DoesNotExist:
            raise CommandError(_("No unit with code %(code)s: leave --unit out, or create the unit first.")
                               % {"code": code}) from None

    def _password(self, path: str | None) -> str:
        if path:
            try:
                return Path(path).read_text().rstrip("\n")
            except OSError as exc:
                raise CommandError(_("Cannot read the password file: %(reason)s.") % {"reason": exc.strerror}) from None
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The two passwords differ. Nothing was created."))
        return first
