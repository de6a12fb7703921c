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


def test_no_template_has_inline_script_or_event_handlers():
    """The Content-Security-Policy blocks inline code, so a browser would silently ignore
    it (a duplicate-merge radio button once did nothing because of an onchange=)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lantern"
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
