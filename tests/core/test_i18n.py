"""Simplified Chinese by default, English on the switch; both catalogues complete and in
step with the source, so no user-visible string is left untranslated."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {"zh_Hans": ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
              "en": ROOT / "locale/en/LC_MESSAGES/django.po"}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue if not e.translated()] == []
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []


def test_chinese_catalogue_is_really_chinese():
    catalogue = polib.pofile(str(CATALOGUES["zh_Hans"]))
    def text(e: polib.POEntry) -> str:  # a plural entry's forms are in msgstr_plural
        return e.msgstr + "".join(e.msgstr_plural.values())

    has_han = [e for e in catalogue if any("\u4e00" <= ch <= "\u9fff" for ch in text(e))]
    assert len(has_han) >= len(catalogue) - 3  # "Lantern" and the like stay as they are


def test_catalogues_hold_every_string_in_the_source(tmp_path):
    """Run makemessages on a copy of the source: no msgid may be new or gone."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "lantern", copy / "lantern", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    env = {"LANTERN_DEBUG": "1", "LANTERN_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v0"],
                   cwd=copy, env=env, check=True)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    for language, path in CATALOGUES.items():
        committed = {e.msgid for e in polib.pofile(str(path))}
        assert fresh - committed == set(), f"untranslated in {language}: run `make makemessages`"
        assert committed - fresh == set(), f"stale in {language}: run `make makemessages`"


@pytest.mark.django_db
def test_pages_are_chinese_by_default_whatever_the_browser_says(client):
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录 Lantern" in page and '<html lang="zh-CN">' in page


@pytest.mark.django_db
def test_the_header_switch_turns_pages_english(client):
    switch = client.post("/i18n/language/", {"language": "en", "next": "/accounts/sign-in/"})
    assert switch.status_code == 302
    page = client.get("/accounts/sign-in/").content.decode()
    assert "Sign in to Lantern" in page and '<html lang="en">' in page


@pytest.mark.django_db
def test_the_api_follows_accept_language(client):
    assert client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"].startswith("Sign in")
    assert client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="zh-CN").json()["error"]["message"].startswith("请先登录")
    assert client.get("/api/v1/me").json()["error"]["message"].startswith("请先登录")


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_catalogues_compile_cleanly_with_matching_placeholders(language, tmp_path):
    """msgfmt --check refuses a translation whose %(name)s placeholders differ from the
    source, which would crash the page that shows it."""
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(CATALOGUES[language])],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
