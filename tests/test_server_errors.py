"""What a user sees when the server fails: a French page, and "réessayez" when the database is away;
and when it refuses: why, and the way back to the convention refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client
from django.urls import resolve, reverse

from conventions.models import Convention
from ctg.views import permission_denied

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_seeing_errors(caf_staff):
    client = Client(raise_request_exception=False)
    client.force_login(caf_staff)
    return client


def test_a_lost_database_connection_answers_503_with_retry_after(client_seeing_errors, monkeypatch):
    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Convention.objects, "visible_to", connection_lost)

    response = client_seeing_errors.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service momentanément indisponible" in response.content.decode()
    assert "réessayez dans quelques secondes" in response.content.decode()


def test_any_other_failure_answers_a_french_500_page(client_seeing_errors, monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(Convention.objects, "visible_to", bug)

    response = client_seeing_errors.get("/")

    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_a_refusal_leads_back_to_the_convention_refused(client, commune_user, nord_convention):
    client.force_login(commune_user)
    url = reverse("convention_info", args=[nord_convention.pk])

    response = client.post(url, {"title": "Autre titre"})

    assert response.status_code == 403
    page = response.content.decode()
    assert f'<a href="{reverse("convention_edit", args=[nord_convention.pk])}">Retour à la convention' in page
    assert "Retour à mes conventions" in page


def test_a_refusal_outside_a_convention_leads_back_to_the_home_page_only(client, caf_staff):
    client.force_login(caf_staff)

    page = client.get(reverse("signed_export")).content.decode()

    assert "Retour à la convention" not in page and "Retour à mes conventions" in page


def test_a_refusal_never_names_a_convention_the_user_does_not_read(rf, other_caf_staff, nord_convention):
    request = rf.get(reverse("convention_sign", args=[nord_convention.pk]))
    request.user = other_caf_staff
    request.resolver_match = resolve(request.path)

    page = permission_denied(request, PermissionDenied("Refusé.")).content.decode()

    assert nord_convention.reference not in page and "Retour à la convention" not in page


def test_a_text_sent_after_the_signature_is_shown_back_to_be_copied(client_seeing_errors, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    Convention.objects.filter(pk=nord_convention.pk).update(status="signed")  # signed in another tab

    response = client_seeing_errors.post(
        reverse("article_edit", args=[nord_convention.pk, article.pk]),
        {"text": "Mon texte <b>tapé</b> longuement", "opened_version": article.version},
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "Votre saisie n'a pas été enregistrée" in page
    assert "Mon texte &lt;b&gt;tapé&lt;/b&gt; longuement</textarea>" in page


def test_a_refusal_for_a_role_shows_nothing_back(client_seeing_errors, nord_convention, commune_user):
    client_seeing_errors.force_login(commune_user)
    article = nord_convention.articles.filter(editable=True).order_by("position").first()

    response = client_seeing_errors.post(
        reverse("article_edit", args=[nord_convention.pk, article.pk]), {"text": "Un texte tapé"}
    )

    assert response.status_code in (403, 404) and "Un texte tapé" not in response.content.decode()
