"""What a form sent after the session ended comes back to its page after the login, unsaved, and
only to its page, once."""

import io
import json
import re
import time

import pytest
from django.urls import reverse

from ctg.unsent_forms import KEPT_FOR_SECONDS

pytestmark = pytest.mark.django_db

TYPED = "Un texte tapé pendant une heure <b>à garder</b>."


def article_url(convention):
    article = convention.articles.filter(editable=True).first()
    return reverse("article_edit", args=[convention.pk, article.pk])


def given_back(response):
    """The fields the page hands to app.js to put back in its form, if any."""
    found = re.search(r'<script id="unsent-form" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1)) if found else None


def send_after_the_session_ended(client, page, fields):
    return client.post(page, fields, headers={"referer": f"http://testserver{page}"})


def test_a_text_sent_after_the_session_ended_comes_back_to_its_page_after_the_login(
    client, nord_convention, caf_staff
):
    page = article_url(nord_convention)
    article = nord_convention.articles.filter(editable=True).first()

    send_after_the_session_ended(client, page, {"text": TYPED, "opened_version": "7"})
    client.force_login(caf_staff)
    response = client.get(page)

    assert given_back(response) == {
        "action": page,
        "fields": {"text": [TYPED], "opened_version": ["7"]},
        "files": False,
    }
    article.refresh_from_db()
    assert article.text != TYPED  # given back to be saved, not saved


def test_it_comes_back_once(client, nord_convention, caf_staff):
    page = article_url(nord_convention)
    send_after_the_session_ended(client, page, {"text": TYPED})
    client.force_login(caf_staff)

    assert given_back(client.get(page)) is not None
    assert given_back(client.get(page)) is None


def test_another_page_does_not_take_it_and_leaves_it_for_its_own(client, nord_convention, caf_staff):
    page = article_url(nord_convention)
    send_after_the_session_ended(client, page, {"text": TYPED})
    client.force_login(caf_staff)

    assert given_back(client.get(reverse("convention_edit", args=[nord_convention.pk]))) is None
    assert given_back(client.get(page))["fields"]["text"] == [TYPED]


@pytest.mark.parametrize(("seconds_later", "kept"), [(KEPT_FOR_SECONDS - 60, True), (KEPT_FOR_SECONDS + 1, False)])
def test_it_is_given_back_within_the_hour(client, nord_convention, caf_staff, monkeypatch, seconds_later, kept):
    page = article_url(nord_convention)
    send_after_the_session_ended(client, page, {"text": TYPED})
    client.force_login(caf_staff)
    later = time.time() + seconds_later
    monkeypatch.setattr("ctg.unsent_forms.time.time", lambda: later)

    assert (given_back(client.get(page)) is not None) is kept


def test_the_page_is_told_a_file_sent_with_the_form_is_to_choose_again(client, nord_convention, caf_staff):
    page = article_url(nord_convention)
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "deliberation.pdf"
    send_after_the_session_ended(client, page, {"text": TYPED, "file": upload})
    client.force_login(caf_staff)

    assert given_back(client.get(page))["files"] is True


def test_what_is_given_back_cannot_break_out_of_its_script(client, nord_convention, caf_staff):
    page = article_url(nord_convention)
    send_after_the_session_ended(client, page, {"text": "</script><script>alert(1)</script>"})
    client.force_login(caf_staff)

    html = client.get(page).content.decode()

    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in html


def test_a_password_is_never_given_back(client, caf_staff):
    page = reverse("password_change")
    send_after_the_session_ended(client, page, {"old_password": "secret-1", "new_password1": "secret-2"})
    client.force_login(caf_staff)

    response = client.get(page)

    assert given_back(response) is None
    assert "secret-" not in response.content.decode()
