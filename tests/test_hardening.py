"""Production hardening a user or an attacker would notice."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_pages_forbid_inline_scripts_through_the_content_security_policy(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    response = client.get(reverse("convention_edit", args=[nord_convention.pk]))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert script_src.strip() == "'self'"
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize(
    "url_name",
    ["home", "convention_edit", "convention_signatories", "plan", "dashboard", "convention_create"],
)
def test_no_page_carries_an_inline_script_or_event_handler(client, caf_staff, nord_convention, url_name):
    client.force_login(caf_staff)
    args = [] if url_name in ("home", "convention_create") else [nord_convention.pk]
    html = client.get(reverse(url_name, args=args)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "hx-on" not in html


def test_five_wrong_passwords_lock_the_account_for_a_while(client, caf_staff):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": caf_staff.username, "password": "pas le bon"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Connexion temporairement bloquée" in page
    assert (
        "Réessayez dans 15 minutes, ou demandez un nouveau mot de passe à l'administrateur de la Caf "
        "qui gère votre compte" in page
    )
    # even the right password is refused until the cool-off ends
    response = client.post(url, {"username": caf_staff.username, "password": "mot-de-passe-de-test"})
    assert response.status_code == 429


def test_a_right_password_logs_in_after_a_few_mistakes(client, caf_staff):
    url = reverse("login")
    for _ in range(2):
        client.post(url, {"username": caf_staff.username, "password": "pas le bon"})
    response = client.post(url, {"username": caf_staff.username, "password": "mot-de-passe-de-test"})
    assert response.status_code == 302


def test_sessions_end_with_the_browser_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_uploaded_files_have_no_public_url(client, caf_staff, tmp_path):
    (tmp_path / "deliberations").mkdir()
    (tmp_path / "deliberations" / "secret.pdf").write_bytes(b"%PDF-1.4")
    client.force_login(caf_staff)
    assert client.get("/media/deliberations/secret.pdf").status_code == 404


def test_short_passwords_are_refused(caf_staff):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("Court1!", caf_staff)


def test_a_user_changes_their_password_on_a_page_of_the_application(client, caf_staff):
    client.force_login(caf_staff)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home

    page = client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mot-de-passe-de-test",
            "new_password1": "un-nouveau-mot-de-passe-2026",
            "new_password2": "un-nouveau-mot-de-passe-2026",
        },
        follow=True,
    )

    assert "Changer mon mot de passe" in page and "administration de Django" not in page
    assert "Votre nouveau mot de passe est enregistré" in response.content.decode()
    caf_staff.refresh_from_db()
    assert caf_staff.check_password("un-nouveau-mot-de-passe-2026")


def test_a_lockout_without_cool_off_sends_to_the_administrator(client, caf_staff, settings):
    settings.AXES_COOLOFF_TIME = None
    for _ in range(5):
        response = client.post(reverse("login"), {"username": caf_staff.username, "password": "pas le bon"})

    assert response.status_code == 429
    assert "Demandez un nouveau mot de passe à l'administrateur de la Caf qui gère votre compte : il le débloque." in (
        response.content.decode()
    )
