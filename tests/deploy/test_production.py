"""The production configuration, started by its one script (deploy/production.sh) and used
as staff would use it: nginx ends TLS on loopback and serves the static files, gunicorn
answers the rest, PostgreSQL holds the data under two roles, and the job worker runs the
periodic jobs. Then it is stopped, and nothing of it may still run.

One test, because the checks share one installation that takes half a minute to make and
because pytest-xdist would otherwise spread them over workers that each made their own."""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
from pathlib import Path

import psycopg
import pytest
import requests

from lantern.accounts.totp import code_for
from tests.deploy.conftest import Deployment

pytestmark = [pytest.mark.deploy, pytest.mark.postgresql]

DEMO_PASSWORD = "lantern-demo"  # lantern/accounts/demo.py: the demo accounts are made below
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def test_production_serves_lantern_over_tls_behind_nginx_and_stops_cleanly(deployment: Deployment):
    deployment.manage("from lantern.accounts import demo; demo.load()")  # as the application's role
    web = session(deployment)

    djangos_deployment_checks_name_only_the_advisories_left_off_on_purpose(deployment)
    sign_in = the_sign_in_page_is_served_with_the_security_headers(deployment, web)
    plain_http_is_sent_to_https(deployment)
    a_static_file_comes_from_nginx_compressed_and_cached(deployment, web, sign_in.text)
    staff_sign_in_through_the_proxy_with_secure_cookies(deployment, web, sign_in.text)
    the_api_answers_through_the_proxy(deployment)
    the_application_role_cannot_change_the_audit_log(deployment)
    the_job_worker_runs_the_jobs(deployment)
    stopping_leaves_nothing_running(deployment)


def djangos_deployment_checks_name_only_the_advisories_left_off_on_purpose(deployment: Deployment):
    # HSTS for subdomains and preloading (README, "Deployment"): off unless asked for.
    found = set(re.findall(r"\((security\.\w+)\)", (deployment.dir / "log" / "check-deploy.log").read_text()))
    assert found == {"security.W005", "security.W021"}, deployment.start_output


def the_sign_in_page_is_served_with_the_security_headers(deployment: Deployment, web: requests.Session):
    # The certificate names both 127.0.0.1 and localhost, and verifies against the made CA;
    # the sign-in below continues on localhost, with its cookie and this page's token.
    for host in ("127.0.0.1", "localhost"):
        page = web.get(deployment.url("/accounts/sign-in/", host), timeout=30)
        assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cache-Control"] == "no-store, private"
    assert "nginx/" not in page.headers["Server"]  # no version to look up
    csrf = set_cookie(page, "csrftoken")
    assert {"secure", "httponly", "samesite=lax"} <= csrf
    return page


def plain_http_is_sent_to_https(deployment: Deployment):
    answer = session(deployment).get(f"http://127.0.0.1:{deployment.http_port}/cases/?state=received",
                                     allow_redirects=False, timeout=10)
    assert answer.status_code == 301
    assert answer.headers["Location"] == deployment.url("/cases/?state=received", "127.0.0.1")


def a_static_file_comes_from_nginx_compressed_and_cached(deployment: Deployment, web: requests.Session, html: str):
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the sign-in page links a stylesheet by its hashed name"
    answer = web.get(deployment.url(stylesheet.group(1)), headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/css")
    assert answer.headers["Content-Encoding"] == "gzip"  # the copy made at start
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Request-ID" not in answer.headers  # Lantern tags every answer it makes: nginx made this one
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    missing = web.get(deployment.url("/static/no-such-file.css"), timeout=10)
    assert missing.status_code == 404 and "X-Request-ID" not in missing.headers


def staff_sign_in_through_the_proxy_with_secure_cookies(deployment: Deployment, web: requests.Session, html: str):
    # A browser's form post names its origin, port included: Django's CSRF check must agree.
    origin = {"Origin": deployment.url("").rstrip("/"), "Referer": deployment.url("/accounts/sign-in/")}
    password = web.post(deployment.url("/accounts/sign-in/"), headers=origin, allow_redirects=False, timeout=30,
                        data={"csrfmiddlewaretoken": csrf_token(html), "username": "supervisor",
                              "password": DEMO_PASSWORD})
    assert password.status_code == 302 and password.headers["Location"] == "/accounts/sign-in/verify/"
    assert {"secure", "httponly", "samesite=lax"} <= set_cookie(password, "sessionid")
    verify = web.get(deployment.url("/accounts/sign-in/verify/"), timeout=30)
    verified = web.post(deployment.url("/accounts/sign-in/verify/"), headers=origin, allow_redirects=False,
                        timeout=30, data={"csrfmiddlewaretoken": csrf_token(verify.text), "code": code()})
    assert verified.status_code == 302
    home = web.get(deployment.url("/"), timeout=30)
    assert home.status_code == 200 and "/accounts/sign-out/" in home.text
    language = web.post(deployment.url("/i18n/language/"), headers=origin, allow_redirects=False, timeout=30,
                        data={"csrfmiddlewaretoken": csrf_token(home.text), "language": "en", "next": "/"})
    assert language.status_code == 302
    assert {"secure", "httponly", "samesite=lax"} <= set_cookie(language, "lantern_language")


def the_api_answers_through_the_proxy(deployment: Deployment):
    api = session(deployment)
    token = api.post(deployment.url("/api/v1/auth/token"), timeout=30,
                     json={"username": "admin", "password": DEMO_PASSWORD, "otp": code()})
    assert token.status_code == 200, token.text
    me = api.get(deployment.url("/api/v1/me"), timeout=30,
                 headers={"Authorization": f"Bearer {token.json()['token']}", "Accept-Language": "en"})
    assert me.status_code == 200
    assert me.json()["username"] == "admin"
    assert me.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert me.headers["Cache-Control"] == "no-store, private"
    refused = api.get(deployment.url("/api/v1/me"), timeout=30)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")


def the_application_role_cannot_change_the_audit_log(deployment: Deployment):
    with psycopg.connect(deployment.app_url, autocommit=True) as app:
        written, unsealed = app.execute(
            "SELECT count(*), count(*) FILTER (WHERE seq IS NULL) FROM audit_auditentry").fetchone()
        # The sign-ins above were audited and sealed at commit, by the application's role.
        assert written > 0 and unsealed == 0
        for statement in ("DELETE FROM audit_auditentry WHERE id = (SELECT min(id) FROM audit_auditentry)",
                          "UPDATE audit_auditentry SET action = 'x' WHERE id = (SELECT min(id) FROM audit_auditentry)",
                          "TRUNCATE audit_auditentry", "TRUNCATE audit_chainhead",
                          "UPDATE audit_chainhead SET seq = seq + 1"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for table"):
                app.execute(statement)
        assert app.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] >= written
        assert not app.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]


def the_job_worker_runs_the_jobs(deployment: Deployment):
    pid = int((deployment.dir / "run" / "worker.pid").read_text())
    assert "run_worker" in Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    with psycopg.connect(deployment.app_url, autocommit=True) as app:
        for _ in range(300):
            ran = app.execute("SELECT count(*) FROM core_joblease WHERE last_started IS NOT NULL").fetchone()[0]
            if ran:
                break
            time.sleep(0.1)
    assert ran, "no periodic job has run"


def stopping_leaves_nothing_running(deployment: Deployment):
    started = [int(p.read_text()) for p in (deployment.dir / "run").glob("*.pid")]
    tree = descendants(started)
    assert len(tree) > len(started)  # nginx's and gunicorn's workers among them
    stopped = deployment.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert [pid for pid in tree if Path(f"/proc/{pid}").exists()] == []
    assert list((deployment.dir / "run").glob("*.pid")) == []
    for port in (deployment.https_port, deployment.http_port):
        with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    status = deployment.run("status")
    assert status.returncode != 0 and "running" not in status.stdout


# --- helpers ---------------------------------------------------------------------------------

def session(deployment: Deployment) -> requests.Session:
    """A client that trusts the installation's CA and nothing from the environment (a CA
    bundle named there would override it, a proxy would be asked for loopback)."""
    client = requests.Session()
    client.trust_env = False
    client.verify = str(deployment.ca)
    return client


def code() -> str:
    return code_for(DEMO_TOTP_SECRET, dt.datetime.now(dt.UTC))


def set_cookie(response: requests.Response, name: str) -> set[str]:
    """The attributes of one Set-Cookie header, lower-cased (requests keeps no Secure flag)."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return {part.strip().lower() for part in header.split(";")[1:]}
    raise AssertionError(f"no {name} cookie set")


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def descendants(roots: list[int]) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found = {pid for pid in roots if pid in parents}
    while True:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            return found
        found |= more
