"""A person signing in, in a real browser: password, authenticator code, home page;
the language switch; the lockout message; first sign-in with enrolment."""

from __future__ import annotations

import re

import pyotp
import pytest

from lantern.access.roles import Role
from tests.factories import PASSWORD, make_user, next_code

pytestmark = pytest.mark.django_db(transaction=True)


def fill_password(page, username: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")


def test_sign_in_with_password_and_authenticator_code(page, units):
    user = make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="browser_inv")
    fill_password(page, "browser_inv", PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/sign-in/verify/$"))
    page.fill("input[name=code]", next_code(user))
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("current-user").inner_text().startswith("browser_inv")
    # Chinese by default: the role line reads in Chinese.
    assert "侦查员" in page.get_by_test_id("role").inner_text()
    page.screenshot(path=_shot("home-zh.png"), full_page=True)


def test_the_language_switch_turns_the_interface_english_and_back(page, units):
    fill_password(page, "nobody", "whatever-wrong")
    assert "用户名或密码错误" in page.get_by_test_id("sign-in-error").inner_text()
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sign in to Lantern"
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "登录 Lantern"


def test_five_wrong_passwords_show_the_lockout_message(page, units):
    make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="browser_locked")
    for _ in range(5):
        fill_password(page, "browser_locked", "wrong-password")
    error = page.get_by_test_id("sign-in-error").inner_text()
    assert "锁定" in error and "管理员" in error
    page.screenshot(path=_shot("locked-zh.png"))


def test_first_sign_in_enrols_the_authenticator_and_shows_recovery_codes(page, units):
    make_user(units, "QS-CGPCS", Role.INTAKE_OFFICER, username="browser_new", enrolled=False)
    fill_password(page, "browser_new", PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/sign-in/enrol/$"))
    assert page.locator(".qr svg").count() == 1
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.screenshot(path=_shot("enrol-zh.png"), full_page=True)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/accounts/recovery-codes/$"))
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10


def _shot(name: str) -> str:
    import os

    folder = os.environ.get("LANTERN_SCREENSHOTS", "")
    if not folder:
        import tempfile

        folder = tempfile.gettempdir()
    return os.path.join(folder, name)


def test_chinese_text_is_drawn_with_a_cjk_font_not_empty_boxes(page, units):
    """Without a CJK font Chromium draws boxes while the text still reads correctly, so
    check the font itself: some installed font must cover the characters on the page."""
    page.goto("/accounts/sign-in/")
    covered = page.evaluate("""async () => {
        await document.fonts.ready;
        const text = document.querySelector('h1').innerText;
        const canvas = document.createElement('canvas');
        const ctx = canvas.getContext('2d');
        // A glyph missing from every font renders as the same .notdef box, so two
        // different characters would measure identically and draw identical pixels.
        const draw = (ch) => { ctx.clearRect(0, 0, 64, 64); ctx.font = '48px sans-serif';
                               ctx.fillText(ch, 0, 48); return ctx.getImageData(0, 0, 64, 64).data.join(','); };
        canvas.width = canvas.height = 64;
        return {text, differ: draw('登') !== draw('录')};
    }""")
    assert "登录" in covered["text"]
    assert covered["differ"], "Chinese characters render as identical boxes: install fonts-noto-cjk"


def test_an_administrator_unlocks_an_account_in_place_under_the_content_security_policy(page, units):
    from django.utils import timezone

    from lantern.accounts.models import User

    admin = make_user(units, "HX-XXZX", Role.ADMINISTRATOR, username="browser_admin")
    locked = make_user(units, "QS-XZDD", Role.INVESTIGATOR, username="browser_victim_of_typos")
    User.objects.filter(pk=locked.pk).update(locked_at=timezone.now())
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    fill_password(page, "browser_admin", PASSWORD)
    page.fill("input[name=code]", next_code(admin))
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/accounts/locked/")
    row = page.locator(f"#locked-{locked.pk}")
    row.get_by_role("button").click()
    row.get_by_role("status").wait_for()
    assert page.url.endswith("/accounts/locked/")  # swapped in place by htmx, no navigation
    assert "已解锁" in row.inner_text()
    assert not User.objects.get(pk=locked.pk).is_locked
    assert violations == []


def test_the_api_docs_page_works_offline_under_the_content_security_policy(page, live_server):
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: problems.append(req.url) if not req.url.startswith(live_server.url) else None)
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 6
    assert problems == []
