"""The pages officers use every day fit a 1,366-pixel screen and a 390-pixel phone, in
Chinese and in English: nothing wider than the window (tables scroll or stack inside
their cards), and on the phone the navigation folds behind a menu button."""

from __future__ import annotations

import pytest

from lantern.access.roles import Role
from lantern.cases import workflow
from lantern.cases.checklist import set_checklist_item
from lantern.intake.services import register_report
from tests.browser.test_intake_browser import sign_in
from tests.cases.helpers import police
from tests.factories import make_user
from tests.intake.test_numbering_concurrency import _report

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1366)
LANGUAGES = ("zh-hans", "en")
LONG_REASON = "经全面调查取证，调取监控录像、询问证人并比对通讯记录，现有证据不能证明犯罪事实发生" * 3


def worked_case(people):
    case = register_report(actor=people["intake"], report=_report(3)).case
    workflow.perform(case=case, actor=people["supervisor"], name="assign", payload={"assignees": ["c_inv"]})
    workflow.perform(case=case, actor=people["investigator"], name="begin_review")
    for item in case.checklist.all():
        set_checklist_item(actor=people["investigator"], item=item, status="done", note="已完成取证")
    workflow.perform(case=case, actor=people["investigator"], name="propose_non_filing",
                     payload={"reason": LONG_REASON})
    return case


def overflow(page, path):
    page.goto(path)
    return page.evaluate("document.documentElement.scrollWidth")


def signed_in(browser, live_server, user, width, language):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "lantern_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, user)
    return context, page


def test_the_case_page_home_lists_and_audit_log_fit_a_phone_and_a_desktop(browser, live_server, units):
    people = police(units)
    inspector = make_user(units, "AP-JW", Role.DISCIPLINE_INSPECTOR, username="c_insp")
    case = worked_case(people)
    for width in WIDTHS:
        for language in LANGUAGES:
            for user, paths in ((people["supervisor"], ["/", "/cases/", f"/cases/{case.pk}/"]),
                                (inspector, ["/audit/"])):
                context, page = signed_in(browser, live_server, user, width, language)
                for path in paths:
                    scroll = overflow(page, path)
                    assert scroll <= width, f"{path} at {width}px in {language}: {scroll}px wide"
                context.close()


def test_on_a_phone_the_navigation_folds_behind_the_menu_button(browser, live_server, units):
    people = police(units)
    case = worked_case(people)
    context, page = signed_in(browser, live_server, people["supervisor"], 390, "en")
    page.goto(f"/cases/{case.pk}/")
    nav = page.locator("header nav")
    assert not nav.is_visible()
    page.get_by_test_id("menu-button").click()
    assert nav.is_visible()
    # The jump links stay within reach while the officer scrolls the case.
    page.locator("#history").scroll_into_view_if_needed()
    assert page.get_by_test_id("jump-links").is_visible()
    context.close()

    context, page = signed_in(browser, live_server, people["supervisor"], 1366, "en")
    page.goto(f"/cases/{case.pk}/")
    assert page.locator("header nav").is_visible() and not page.get_by_test_id("menu-button").is_visible()
    context.close()
