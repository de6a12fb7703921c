"""Families and partners in tests: a report with a reachable complainant, the portal as a
family uses it (pages or API), partner services as an administrator configures them."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from lantern.accounts.models import Unit
from lantern.referrals.models import PartnerService
from tests.cases.helpers import report

COMPLAINANT = {"name": "测试乙", "relation": "母亲", "phone": "13800000001", "email": "family@example.invalid"}


def reachable_report(**overrides: Any) -> dict[str, Any]:
    return report(**{"complainant": COMPLAINANT, **overrides})


def partner_services() -> None:
    for code, service in (("QS-FLYZ", "legal_aid"), ("QS-XLZX", "counselling")):
        PartnerService.objects.get_or_create(partner=Unit.objects.get(code=code), service=service)


class Family:
    """The portal's API, as a mobile front end calls it."""

    def __init__(self, tracking_code: str = "", secret: str = "", **client_kwargs: Any):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en", **client_kwargs)
        self.headers: dict[str, str] = {}
        if tracking_code:
            response = self.sign_in(tracking_code, secret)
            assert response.status_code == 200, response.content
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    def sign_in(self, tracking_code: str, secret: str = "", code: str = ""):
        return self.client.post("/api/v1/portal/session", {"tracking_code": tracking_code, "secret": secret,
                                                           "code": code}, content_type="application/json")

    def get(self, path: str):
        return self.client.get(f"/api/v1/portal{path}", **self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(f"/api/v1/portal{path}", json.dumps(body or {}), content_type="application/json",
                                **self.headers)
