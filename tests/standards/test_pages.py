"""The evidence standard's pages, in Chinese (the default) and in English: the templates in
force, one version with its items and the approve button for the side that has not
approved, two versions side by side, the drafting form; and who holds which part of it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from lantern.access.policy import Capability, has_capability
from lantern.standards.models import Template
from tests.factories import sign_in
from tests.standards.test_templates import new_version

pytestmark = pytest.mark.django_db


_clients: dict = {}


@pytest.fixture(autouse=True)
def _fresh_clients():
    _clients.clear()


def page(user, url, language):
    """A page as ``user`` reads it: one sign-in per user and test (each takes a fresh second-factor code)."""
    if user.pk not in _clients:
        _clients[user.pk] = Client()
        sign_in(_clients[user.pk], user)
        _clients[user.pk].cookies["lantern_language"] = language  # pages follow the language switch
    response = _clients[user.pk].get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(("language", "words"), [
    ("zh-hans", ["证据标准", "现行有效", "猥亵儿童", "询问被害人"]),
    ("en", ["Evidence standard", "In force today", "Indecency with a child", "Victim interview"]),
])
def test_the_template_pages_in_both_languages(people, language, words):
    template = Template.objects.get(offence="child_indecency", age_band="under_12", version=1)
    listed = page(people["investigator"], "/standards/", language)
    shown = page(people["investigator"], f"/standards/{template.pk}/", language)
    assert words[0] in listed and words[1] in listed and words[2] in listed
    assert words[3] in shown and 'data-testid="standard-items"' in shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_draft_the_approve_button_and_the_side_by_side_page(people, language):
    draft = new_version(people)
    base = Template.objects.get(offence="child_indecency", age_band="under_12", version=1)
    for approver in ("police_head", "provincial_prosecutor"):
        assert f"standards/{draft['id']}/approve/" in page(people[approver], f"/standards/{draft['id']}/", language)
    assert "/approve/" not in page(people["investigator"], f"/standards/{draft['id']}/", language)
    compared = page(people["prosecutor"], f"/standards/{draft['id']}/diff/{base.pk}/", language)
    assert 'data-testid="diff-school_records"' in compared
    assert ("新增" if language == "zh-hans" else "Added") in compared


def test_approving_and_drafting_through_the_pages(people):
    draft = new_version(people)
    head = Client()
    sign_in(head, people["police_head"])
    assert head.post(f"/standards/{draft['id']}/approve/").status_code == 302
    assert Template.objects.get(pk=draft["id"]).approvals.get().side == "police"
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(admin, people["admin"])
    form = admin.get("/standards/new/?offence=rape&age_band=adult").content.decode()
    assert 'data-testid="draft-form"' in form and "victim_interview" in form
    base = Template.objects.get(offence="rape", age_band="adult", version=1)
    body = {"offence": "rape", "age_band": "adult", "items_ready": "1", "row": ["1", "2"],
            "effective_from": timezone.localdate().isoformat(), "note": "试行"}
    for n, item in enumerate(base.items.all()[:2], start=1):
        body.update({f"key_{n}": item.key, f"title_zh_{n}": item.title_zh, f"title_en_{n}": item.title_en,
                     f"satisfied_by_{n}": item.satisfied_by, f"clock_{n}": item.clock,
                     f"legal_reference_{n}": item.legal_reference})
    saved = admin.post("/standards/new/", body)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    created = Template.objects.get(offence="rape", age_band="adult", version=2)
    assert [i.key for i in created.items.all()] == [i.key for i in base.items.all()[:2]]
    bad = admin.post("/standards/new/", {**body, "effective_from": "2024-02-30"})
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.content.decode()


def test_administrators_draft_prosecutors_approve_and_read_investigators_read(people):
    assert has_capability(people["admin"], Capability.DRAFT_STANDARDS)
    assert has_capability(people["provincial_prosecutor"], Capability.APPROVE_STANDARDS)
    for reader in ("investigator", "prosecutor", "admin"):
        assert has_capability(people[reader], Capability.READ_STANDARDS)
    assert not has_capability(people["investigator"], Capability.DRAFT_STANDARDS)
    assert not has_capability(people["investigator"], Capability.APPROVE_STANDARDS)
