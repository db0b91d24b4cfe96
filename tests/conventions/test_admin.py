import pytest
from django.contrib import admin
from django.urls import reverse

from conventions.models import ConventionStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    list(admin.site._registry),
    ids=lambda model: f"{model._meta.app_label}.{model._meta.model_name}",
)
def test_every_changelist_opens_for_a_superuser(client, superuser, model):
    client.force_login(superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    # The demo data shows up, searched and filtered.
    assert client.get(url, {"q": "a"}).status_code == 200


def test_the_admin_speaks_french(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert "Modèles de convention" in response.content.decode()
    assert "Fiches actions" in response.content.decode()


def test_the_convention_page_opens(client, superuser, nord_convention):
    client.force_login(superuser)
    response = client.get(reverse("admin:conventions_convention_change", args=[nord_convention.pk]))
    assert response.status_code == 200
    assert "nord-armentieres-2023" in response.content.decode()


def test_a_signed_convention_reads_only_in_the_admin_its_status_included(
    client, superuser, nord_convention, nord_signature
):
    convention = nord_convention
    client.force_login(superuser)
    url = reverse("admin:conventions_convention_change", args=[convention.pk])

    page = client.get(url).content.decode()
    client.post(url, {"status": ConventionStatus.DRAFT, "title": "Changée"})

    assert 'name="status"' not in page and 'name="title"' not in page
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.SIGNED
    assert convention.title != "Changée"


@pytest.mark.parametrize(
    ("url_name", "english"),
    [
        ("admin:conventions_equipment_export", "Structure Type"),
        ("admin:conventions_collectivite_export", "Insee Code"),
        ("admin:plans_actionsheet_export", "Target Public"),
    ],
)
def test_the_export_pages_speak_no_english_field_names(client, superuser, url_name, english):
    client.force_login(superuser)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert english not in response.content.decode()
