import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_are_not_cached(client):
    response = client.get("/accounts/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Frame-Options"] == "DENY"


def test_static_files_may_be_cached(client):
    response = client.get("/static/lantern/lantern.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
