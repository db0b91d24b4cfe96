"""What a user sees when the server fails: a French page, and "réessayez" when the database is away."""

import pytest
from django.db import OperationalError
from django.test import Client

from conventions.models import Convention

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
