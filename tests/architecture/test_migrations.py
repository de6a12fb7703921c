"""The models and the migrations agree: moving a field's module (the encryption kit went
to core.vault) or a model's app must not leave a schema change without its migration."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail("a model change has no migration:\n" + out.getvalue())
    assert "No changes detected" in out.getvalue()
