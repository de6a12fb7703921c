"""Generated from the URL configuration: every page and API operation refuses an anonymous
caller (except the few meant for them), so a new endpoint without a rule fails here."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lantern.api import api

pytestmark = pytest.mark.django_db

# Reachable without signing in, on purpose.
PUBLIC_PAGES = {
    "accounts/sign-in/", "accounts/sign-in/verify/", "accounts/sign-in/enrol/", "accounts/sign-out/",
    "i18n/language/", "portal/", "portal/code/",
}
PUBLIC_API = {"/api/v1/auth/token", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/portal/session",
              "/api/v1/portal/code"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<uuid:\w+>", "00000000-0000-4000-8000-000000000000", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route


def page_routes() -> list[str]:
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/", "static/")) or route in PUBLIC_PAGES:
            continue
        routes.append(route)
    return routes


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            concrete = re.sub(r"\{\w+\}", "1", path)
            if concrete not in PUBLIC_API:
                ops.append((method.upper(), concrete))
    return ops


def test_there_are_routes_to_check():
    assert len(page_routes()) >= 6 and len(api_operations()) >= 6


@pytest.mark.parametrize("route", page_routes())
def test_every_page_sends_an_anonymous_caller_to_its_sign_in(client, route):
    url = _concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code == 405:
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        # The family portal has its own sign-in; everything else is the staff's.
        sign_in = "/portal/" if route.startswith("portal/") else "/accounts/sign-in/"
        assert response["Location"].startswith(sign_in), (method, url)


@pytest.mark.parametrize(("method", "path"), api_operations())
def test_every_api_operation_answers_401_to_an_anonymous_caller(client, method, path):
    response = client.generic(method, path, "{}", content_type="application/json")
    assert response.status_code == 401, (method, path, response.content)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_admin_site_sends_anonymous_callers_to_lanterns_two_step_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith("/accounts/sign-in/")
