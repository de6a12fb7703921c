"""Behind the TLS proxy the audit log records the client's address the proxy passed on, not
the proxy's own; without the proxy a client cannot choose what is recorded."""

from __future__ import annotations

import pytest

from lantern.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _source_of_a_failed_sign_in(client) -> str:
    client.post("/api/v1/auth/token", {"username": "nobody", "password": "x", "otp": "000000"},
                content_type="application/json", HTTP_X_REAL_IP="203.0.113.7", HTTP_X_FORWARDED_PROTO="https",
                secure=True)
    return AuditEntry.objects.filter(action__startswith="account.").latest("id").source


def test_behind_the_proxy_the_recorded_source_is_the_client(client, settings):
    settings.BEHIND_TLS_PROXY = True
    assert _source_of_a_failed_sign_in(client) == "203.0.113.7"


def test_without_the_proxy_the_header_is_ignored(client, settings):
    settings.BEHIND_TLS_PROXY = False
    assert _source_of_a_failed_sign_in(client) == "127.0.0.1"
