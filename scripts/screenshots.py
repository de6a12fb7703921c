"""Take the README's screenshots from a running `make run` server (Debian's Chromium).

    PORT=8000 make run &      then      .venv/bin/python scripts/screenshots.py [base-url]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")
os.environ.setdefault("LANTERN_VAR_DIR", str(ROOT / "var"))  # read the running demo's database

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from lantern.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402
from lantern.accounts.totp import code_at_step, current_step  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]



def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.primary")
    # Each account is a new user, so the current step's code is fresh for it.
    page.fill("input[name=code]", code_at_step(DEMO_TOTP_SECRET, current_step(dt.datetime.now(dt.UTC))))
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def portal_sign_in(page, base: str) -> None:
    from lantern.portal.demo import DEMO_SECRET, DEMO_TRACKING_CODE

    page.goto(f"{base}/portal/")
    page.fill("#tc", DEMO_TRACKING_CODE)
    page.fill("#sec", DEMO_SECRET)
    page.click("button.go")
    page.wait_for_url(f"{base}/portal/case/")


def _first_referral_id() -> int:
    from lantern.referrals.models import Referral

    return Referral.objects.order_by("pk").values_list("pk", flat=True).first()


def _linxia_case_id() -> int:
    """The demo's Linxia replay is the first case registered."""
    from lantern.cases.models import Case

    return Case.objects.order_by("pk").values_list("pk", flat=True).first()


def _awaiting_the_head() -> int | None:
    """A demo non-filing the supervisor approved and the county head has still to decide."""
    from lantern.cases.models import Decision, DecisionKind, DecisionStatus

    for d in Decision.objects.filter(status=DecisionStatus.PENDING, kind=DecisionKind.NOT_FILE).order_by("pk"):
        if d.approvals.filter(approved=True).exists():
            return d.case_id
    return None


def _demo_network() -> tuple[int | None, int | None]:
    """The demo's network (intake.demo._network) and one of its cases on the investigator's team."""
    from lantern.cases.models import Assignment
    from lantern.linkage.models import Network, NetworkMember

    network = Network.objects.order_by("-case_count").first()
    if network is None:
        return None, None
    members = NetworkMember.objects.filter(network=network).values_list("case_id", flat=True)
    mine = Assignment.objects.filter(case_id__in=members, user__username="investigator", active=True)
    return network.pk, mine.values_list("case_id", flat=True).first()


def _school_demo() -> tuple[int | None, int | None, int | None]:
    """The demo school's first mandatory report, its single check that hit, and its list."""
    from lantern.institutions.models import BulkCheck, MandatoryReport, RegistryCheck

    mine = {"institution__unit__code": "QS-CGXX"}
    report = MandatoryReport.objects.filter(**mine).order_by("pk").values_list("pk", flat=True).first()
    hit = RegistryCheck.objects.filter(**mine, batch__isnull=True, result="hit").values_list("pk", flat=True).first()
    batch = BulkCheck.objects.filter(**mine).order_by("pk").values_list("pk", flat=True).first()
    return report, hit, batch


def receipt_png() -> None:
    """The printed receipt (受案回执) of the portal's demo report, drawn from its PDF."""
    import subprocess
    import tempfile

    from lantern.accounts.models import User
    from lantern.cases import documents
    from lantern.cases.models import Case
    from lantern.portal.demo import DEMO_SECRET, DEMO_TRACKING_CODE

    case = Case.objects.get(tracking_code=DEMO_TRACKING_CODE)
    pdf = documents.receipt(case, actor=User.objects.get(username="intake"), secret=DEMO_SECRET)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "r.pdf").write_bytes(pdf)
        subprocess.run(["/usr/bin/pdftoppm", "-r", "80", "-png", "-singlefile", f"{tmp}/r.pdf",  # noqa: S603
                        str(OUT / "receipt")],
                       check=True)


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    first = _linxia_case_id()  # before Playwright starts its event loop in this thread
    referral = _first_referral_id()
    awaiting = _awaiting_the_head()
    network, linked_case = _demo_network()
    school_report, school_hit, school_batch = _school_demo()
    receipt_png()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        shots = [("sign-in.png", None, "/accounts/sign-in/"), ("home-supervisor.png", "supervisor", "/"),
                 ("case-linxia-replay.png", "supervisor", f"/cases/{first}/"),
                 ("case-list.png", "supervisor", "/cases/"), ("intake.png", "intake", "/intake/"),
                 ("home-prosecutor.png", "prosecutor", "/"), ("audit-log.png", "inspector", "/audit/"),
                 ("locked-accounts.png", "admin", "/accounts/locked/"), ("api-docs.png", None, "/api/v1/docs"),
                 ("break-glass.png", "investigator2", "/privacy/break-glass/"),
                 ("access-report.png", "inspector", "/privacy/access-report/"),
                 ("portal-case.png", "family", "/portal/case/"),
                 ("partner-workspace.png", "partner_legal_aid", "/referrals/"),
                 ("partner-referral.png", "partner_legal_aid", f"/referrals/{referral}/"),
                 ("families-waiting.png", "supervisor", "/referrals/waiting/"),
                 ("home-inspector.png", "inspector", "/"), ("flags.png", "inspector", "/oversight/flags/"),
                 ("trail.png", "inspector", f"/discipline/cases/{first}/trail/"),
                 ("home-analyst.png", "analyst", "/"), ("figures.png", "analyst", "/campaigns/"),
                 ("standards.png", "prosecutor", "/standards/12/")]
        if awaiting:
            shots.append(("case-approval.png", "county_head", f"/cases/{awaiting}/#decision"))
        if network:
            shots += [("networks.png", "supervisor", "/linkage/networks/"),
                      ("network.png", "supervisor", f"/linkage/networks/{network}/"),
                      ("matches.png", "supervisor", "/linkage/matches/")]
        if linked_case:
            shots.append(("case-links.png", "investigator", f"/cases/{linked_case}/#links"))
        # Institutions (issue 16): the school's reports and registry checks, the inspector's duty figures.
        answered = f"?answer={school_hit}" if school_hit else ""  # the answer panel of a hit
        shots += [("institution-reports.png", "school", "/institutions/"),
                  ("registry-checks.png", "school", f"/institutions/checks/{answered}"),
                  ("reporting-duty.png", "inspector", "/institutions/duty/")]
        if school_report:
            shots.append(("institution-report.png", "school", f"/institutions/reports/{school_report}/"))
        if school_batch:
            shots.append(("registry-bulk.png", "school", f"/institutions/checks/bulk/{school_batch}/"))
        pages: dict[str | None, object] = {}
        for name, user, path in shots:
            if user not in pages:  # one sign-in per user: a code is never accepted twice
                context = browser.new_context(viewport={"width": 1200, "height": 760})
                pages[user] = context.new_page()
                if user == "family":
                    portal_sign_in(pages[user], base)
                elif user:
                    sign_in(pages[user], base, user)
            page = pages[user]
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / name), full_page=name.startswith(("case-linxia", "portal-", "institution-")))
            if name == "case-links.png":  # a hidden linked case: its unit and whom to call
                page.wait_for_timeout(500)  # the graph's layout
                page.locator("#links").screenshot(path=str(OUT / name))
            if name in ("network.png", "figures.png"):  # the graph's layout, the charts' animation
                page.wait_for_timeout(1200)
                page.screenshot(path=str(OUT / name), full_page=name == "figures.png")
            if name == "case-approval.png":  # the proposal beside the decision form
                page.locator("[data-testid=proposal]").screenshot(path=str(OUT / name))
            if name == "case-linxia-replay.png":  # the history, as people read it (the sticky bar out of the way)
                page.evaluate("document.querySelector('[data-testid=jump-links]').style.position = 'static'")
                page.locator("#history").screenshot(path=str(OUT / "case-history.png"))
        # The case page on a phone (390 px), as the investigator on the case sees it.
        phone_context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        phone = phone_context.new_page()
        if "investigator" in pages:  # signed in already: a code is never accepted twice
            phone_context.add_cookies(pages["investigator"].context.cookies())
        else:
            sign_in(phone, base, "investigator")
        phone.goto(f"{base}/cases/{first}/")
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(OUT / "case-phone.png"))
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
