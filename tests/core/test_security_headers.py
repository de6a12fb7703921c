import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


# --- Behind a TLS proxy (settings read LANTERN_BEHIND_TLS_PROXY etc. at start-up, so each
# case runs in a child process with its own environment) -----------------------------------

PROBE = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(enforce_csrf_checks=True)
seen = {}
# The proxy forwards the Host header and says how the browser came: https, or plain http.
for came, headers in (("https", {"HTTP_X_FORWARDED_PROTO": "https"}), ("http", {})):
    page = client.get("/accounts/sign-in/", HTTP_HOST="testserver", **headers)
    form = client.post("/i18n/language/", {"language": "en", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
                       HTTP_HOST="testserver", HTTP_ORIGIN="https://testserver", **headers)
    seen[came] = {"status": page.status_code, "hsts": page.headers.get("Strict-Transport-Security"),
                  "location": page.headers.get("Location"), "https_form": form.status_code}
print(json.dumps(seen))
"""


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "LANTERN_VAR_DIR": str(tmp_path), **env},
                          timeout=120, check=False)


def behind(tmp_path, **env: str) -> dict:
    done = manage(tmp_path, "shell", "-c", PROBE, LANTERN_TESTING="1", **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_behind_a_tls_proxy_https_is_recognised_hsts_sent_and_plain_http_redirected(tmp_path):
    seen = behind(tmp_path, LANTERN_BEHIND_TLS_PROXY="1")
    assert seen["https"]["status"] == 200
    assert seen["https"]["hsts"] == "max-age=31536000"  # a year; no subdomains, no preload
    # A browser's form over https passes the CSRF origin check (it was refused before).
    assert seen["https"]["https_form"] == 302
    assert seen["http"]["status"] == 301 and seen["http"]["location"] == "https://testserver/accounts/sign-in/"
    assert seen["http"]["hsts"] is None  # HSTS only ever on a secure answer


def test_hsts_and_the_redirect_are_tuned_from_the_environment(tmp_path):
    seen = behind(tmp_path, LANTERN_BEHIND_TLS_PROXY="1", LANTERN_HSTS_SECONDS="600",
                  LANTERN_HSTS_INCLUDE_SUBDOMAINS="1", LANTERN_SSL_REDIRECT="0")
    assert seen["https"]["hsts"] == "max-age=600; includeSubDomains"
    assert seen["http"]["status"] == 200  # e.g. a health check calling the application directly


def test_without_the_proxy_setting_a_forwarded_proto_header_is_not_believed(tmp_path):
    """A client could send X-Forwarded-Proto itself: only a configured proxy is trusted."""
    seen = behind(tmp_path)
    assert seen["https"]["hsts"] is None and seen["https"]["status"] == 200
    assert seen["https"]["https_form"] == 403  # not https to Django, so the https origin does not match
    assert seen["http"]["status"] == 200


def test_the_deployment_check_is_satisfied_behind_the_proxy(tmp_path):
    def deploy_check(**env: str) -> str:
        return manage(tmp_path, "check", "--deploy", LANTERN_SECRET_KEY=secrets.token_urlsafe(50), **env).stderr

    direct = deploy_check()
    assert "security.W004" in direct and "security.W008" in direct  # HSTS, redirect: the check notices
    behind_proxy = deploy_check(LANTERN_BEHIND_TLS_PROXY="1")
    assert "security.W004" not in behind_proxy and "security.W008" not in behind_proxy
