"""Only a Caf administrator reaches the Caf administration, and only for their own Caf: anyone else
is refused (403), another Caf's account or option does not exist (404)."""

import pytest
from django.urls import reverse

import administration.urls
from conventions.models import Role, TemplateOption
from tests.conventions.factories import UserFactory


@pytest.fixture
def own_objects(caf_staff, demo):
    """An account and a model option of the Nord Caf's administrator's reach, per URL argument."""
    option = TemplateOption.objects.filter(template__caf=caf_staff.caf).first()
    if option is None:  # the Nord model leaves no option: give it one for the test
        nord_template = demo["nord-armentieres-2023"].template
        option = TemplateOption.objects.create(template=nord_template, key="essai", label="Essai", default=False)
    return {"account": caf_staff, "option": option}


def every_url(own_objects):
    urls = []
    for pattern in administration.urls.urlpatterns:
        name = pattern.name
        if "<int:pk>" not in str(pattern.pattern):
            urls.append(reverse(name))
        elif "option" in name:
            urls.append(reverse(name, args=[own_objects["option"].pk]))
        else:
            urls.append(reverse(name, args=[own_objects["account"].pk]))
    return urls


def test_the_caf_administrator_reaches_every_page(client, caf_admin, own_objects):
    client.force_login(caf_admin)
    for url in every_url(own_objects):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["caf_staff", "commune_user", "superuser", "other_caf_staff"])
def test_anyone_else_is_refused_and_changes_nothing(client, request, who, own_objects):
    client.force_login(request.getfixturevalue(who))
    account = own_objects["account"]
    for url in every_url(own_objects):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"last_name": "Changé", "role": Role.CAF_ADMIN}).status_code == 403, url
    account.refresh_from_db()
    assert (account.last_name, account.role) != ("Changé", Role.CAF_ADMIN)


def test_a_visitor_is_sent_to_the_login_page(client, own_objects):
    for url in every_url(own_objects):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_another_cafs_accounts_and_options_do_not_exist(client, caf_admin, demo, other_caf_staff, other_commune_user):
    client.force_login(caf_admin)
    another_admin = UserFactory(role=Role.CAF_ADMIN, caf=demo["isere-demo"].caf)
    for account in (other_caf_staff, other_commune_user, another_admin):
        for name in ("administration_account_edit", "administration_account_password"):
            assert client.get(reverse(name, args=[account.pk])).status_code == 404
            assert client.post(reverse(name, args=[account.pk]), {"last_name": "Changé"}).status_code == 404
    for reference in ("isere-demo", "national-2025-demo"):
        option = demo[reference].template.options.first()
        assert client.get(reverse("administration_option_edit", args=[option.pk])).status_code == 404


def test_the_header_links_the_administration_for_caf_administrators_only(client, caf_admin, caf_staff):
    link = reverse("administration_accounts")
    client.force_login(caf_admin)
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(caf_staff)
    assert link not in client.get(reverse("home")).content.decode()
