"""The search box in the header and the results page, as an officer sees them, in both
languages; a match outside the officer's scope reads exactly as no match."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lantern.access.roles import Role
from tests.factories import make_user, sign_in
from tests.search.conftest import B_PHONE, SHARED_PHONE

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["lantern_language"] = language
    return client


def results_part(page, typed: str) -> str:
    """The page's main part, without the typed text (echoed in the box)."""
    main = page.content.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return main.replace(f'value="{typed}"', 'value=""')


def test_the_header_offers_the_search_box_to_those_who_work_cases_on_every_page(world, units):
    inv = signed_in(world["people"]["investigator"])
    for url in ("/", "/cases/", f"/cases/{world['a'].pk}/", "/inbox/"):
        html = inv.get(url).content.decode()
        assert 'class="header-search" role="search" method="get" action="/search/"' in html, url
    analyst = signed_in(make_user(units, "AP-GAJ", Role.CAMPAIGN_ANALYST))
    assert 'class="header-search"' not in analyst.get("/").content.decode()
    assert analyst.get("/search/", {"q": SHARED_PHONE}).status_code == 403


def test_the_results_page_lists_number_state_and_what_matched_with_links(world):
    a = world["a"]
    page = signed_in(world["people"]["investigator"]).get("/search/", {"q": "+86 139-0000-0001"})
    assert page.status_code == 200
    html = page.content.decode()
    rows = re.findall(r"<tr><td><a href=\"(/cases/\d+/)\">([^<]+)</a></td>\s*<td><span class=\"tag state\">([^<]+)"
                      r"</span></td><td>([^<]+)</td></tr>", html)
    assert rows == [(f"/cases/{a.pk}/", a.case_number, "Received", "Phone")]
    assert "1 case matches." in html
    assert 'value="+86 139-0000-0001"' in html  # the box keeps what was typed
    assert page["Referrer-Policy"] == "no-referrer"  # ... and the case page opened from here is not told it


def test_a_match_outside_the_scope_reads_exactly_as_no_match(world):
    inv = signed_in(world["people"]["investigator"])
    invisible, nowhere = inv.get("/search/", {"q": B_PHONE}), inv.get("/search/", {"q": "13799999999"})
    assert invisible.status_code == nowhere.status_code == 200
    assert results_part(invisible, B_PHONE) == results_part(nowhere, "13799999999")
    assert "No case you may see matches this search." in results_part(invisible, B_PHONE)
    assert world["b"].case_number not in invisible.content.decode()


def test_the_results_page_in_chinese(world):
    sup = signed_in(world["people"]["supervisor"], "zh-hans")
    html = sup.get("/search/", {"q": SHARED_PHONE}).content.decode()
    assert "共 2 起案件匹配。" in html and "匹配项" in html and "电话" in html and "搜索案件" in html
    assert "在您可查看的案件中没有匹配结果。" in sup.get("/search/", {"q": "13799999999"}).content.decode()


def test_an_empty_box_searches_nothing_and_an_overlong_text_is_refused(world):
    from lantern.audit.events import Event
    from lantern.audit.models import AuditEntry

    inv = signed_in(world["people"]["investigator"])
    assert inv.get("/search/").status_code == 200
    too_long = inv.get("/search/", {"q": "9" * 101})
    assert too_long.status_code == 422 and "at most 100 characters" in too_long.content.decode()
    assert not AuditEntry.objects.filter(action=Event.SEARCH_PERFORMED).exists()


def test_past_the_limit_the_page_says_so(world, settings):
    settings.LANTERN_SEARCHES_PER_MINUTE = 1
    inv = signed_in(world["people"]["investigator"])
    assert inv.get("/search/", {"q": SHARED_PHONE}).status_code == 200
    refused = inv.get("/search/", {"q": SHARED_PHONE})
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()


def test_signed_out_the_page_sends_to_sign_in():
    response = Client().get("/search/", {"q": SHARED_PHONE})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
