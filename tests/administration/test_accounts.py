"""A Caf administrator gives, changes and withdraws the accounts of the Caf's staff and of the
chargé(e)s de coopération of the collectivités that sign its conventions (DESIGN §2)."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from conventions.models import Role, User
from tests.conventions.factories import CollectiviteFactory, UserFactory
from tests.conventions.rendering_helpers import html_text

PASSWORD = "Un-mot-de-passe-provisoire-2026"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(caf_admin):
    """The administrator's browser; `client` is then the browser of the person the account is for."""
    admin_client = Client()
    admin_client.force_login(caf_admin)
    return admin_client


def new_account(**fields):
    return {
        "username": "camille.durand",
        "first_name": "Camille",
        "last_name": "Durand",
        "email": "camille.durand@example.org",
        "role": Role.CAF_STAFF,
        "collectivite": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | fields


def logs_in(client, username, password):
    """Through the login page, as a person does (django-axes counts the attempts there)."""
    return client.post(reverse("login"), {"username": username, "password": password}).status_code == 302


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_staff_member_logs_in_with_the_provisional_password_and_finds_the_cafs_conventions(
    admin_client, client, nord_convention
):
    response = admin_client.post(reverse("administration_account_create"), new_account())
    assert response.status_code == 302
    assert "Communiquez-lui son mot de passe provisoire" in messages_of(response)[0]

    assert logs_in(client, "camille.durand", PASSWORD)
    assert reverse("convention_edit", args=[nord_convention.pk]) in client.get(reverse("home")).content.decode()
    account = User.objects.get(username="camille.durand")
    assert (account.role, account.caf, account.collectivite) == (Role.CAF_STAFF, nord_convention.caf, None)


def test_a_new_charge_de_cooperation_reads_the_conventions_their_collectivite_signs(
    admin_client, client, nord_convention
):
    armentieres = nord_convention.signatories.get(collectivite__isnull=False).collectivite
    fields = new_account(username="cc.armentieres", role=Role.COMMUNE, collectivite=armentieres.pk)
    assert admin_client.post(reverse("administration_account_create"), fields).status_code == 302

    account = User.objects.get(username="cc.armentieres")
    assert (account.caf, account.collectivite) == (nord_convention.caf, armentieres)  # the Caf manages it
    client.force_login(account)
    assert client.get(reverse("convention_edit", args=[nord_convention.pk])).status_code == 200


def test_a_charge_de_cooperation_needs_a_collectivite(admin_client):
    response = admin_client.post(reverse("administration_account_create"), new_account(role=Role.COMMUNE))

    assert response.status_code == 422
    assert "Un chargé de coopération doit être rattaché à sa collectivité." in response.content.decode()
    assert not User.objects.filter(username="camille.durand").exists()


def test_only_the_collectivites_signing_the_cafs_conventions_can_be_chosen(admin_client, nord_convention):
    elsewhere = CollectiviteFactory(name="Villeneuve-d'Ailleurs")
    page = admin_client.get(reverse("administration_account_create")).content.decode()
    assert "La commune d&#x27;Armentières" in page
    assert "Villeneuve-d&#x27;Ailleurs" not in page

    fields = new_account(role=Role.COMMUNE, collectivite=elsewhere.pk)
    response = admin_client.post(reverse("administration_account_create"), fields)
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not User.objects.filter(username="camille.durand").exists()


def test_a_username_taken_whatever_its_case_is_refused(admin_client, caf_staff):
    response = admin_client.post(
        reverse("administration_account_create"), new_account(username=caf_staff.username.upper())
    )

    assert response.status_code == 422
    assert "Un utilisateur avec ce nom existe déjà." in response.content.decode()
    assert "Rien n&#x27;a été enregistré" in response.content.decode()


def test_a_weak_provisional_password_is_refused_in_french(admin_client):
    fields = new_account(password1="camille", password2="camille")
    response = admin_client.post(reverse("administration_account_create"), fields)

    assert response.status_code == 422
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in response.content.decode()
    assert not User.objects.filter(username="camille.durand").exists()


def test_the_list_holds_the_cafs_accounts_and_no_one_elses(
    admin_client, caf_staff, commune_user, other_caf_staff, other_commune_user, superuser
):
    page = admin_client.get(reverse("administration_accounts")).content.decode()

    for account in (caf_staff, commune_user):
        assert reverse("administration_account_edit", args=[account.pk]) in page
    for account in (other_caf_staff, other_commune_user, superuser):
        assert reverse("administration_account_edit", args=[account.pk]) not in page


def test_a_deactivated_account_no_longer_logs_in_and_is_kept(admin_client, client, caf_staff):
    fields = {"first_name": "", "last_name": caf_staff.last_name, "email": "", "role": Role.CAF_STAFF}
    response = admin_client.post(reverse("administration_account_edit", args=[caf_staff.pk]), fields)
    assert response.status_code == 302

    caf_staff.refresh_from_db()
    assert not caf_staff.is_active
    assert not logs_in(client, caf_staff.username, "mot-de-passe-de-test")
    assert "Désactivé" in admin_client.get(reverse("administration_accounts")).content.decode()


def test_a_staff_member_who_joins_a_commune_leaves_the_caf(admin_client, caf_staff, nord_convention):
    armentieres = nord_convention.signatories.get(collectivite__isnull=False).collectivite
    fields = {
        "last_name": caf_staff.last_name,
        "role": Role.COMMUNE,
        "collectivite": armentieres.pk,
        "is_active": "on",
    }
    assert admin_client.post(reverse("administration_account_edit", args=[caf_staff.pk]), fields).status_code == 302

    caf_staff.refresh_from_db()
    assert (caf_staff.role, caf_staff.collectivite) == (Role.COMMUNE, armentieres)
    assert caf_staff.caf == nord_convention.caf  # still managed by the Caf


def test_an_administrator_keeps_their_own_rights(admin_client, caf_admin):
    fields = {"first_name": "Dominique", "last_name": "Admin", "role": Role.CAF_STAFF}  # and not active
    response = admin_client.post(reverse("administration_account_edit", args=[caf_admin.pk]), fields)
    assert response.status_code == 302

    caf_admin.refresh_from_db()
    assert (caf_admin.first_name, caf_admin.role, caf_admin.is_active) == ("Dominique", Role.CAF_ADMIN, True)
    page = admin_client.get(reverse("administration_account_edit", args=[caf_admin.pk])).content.decode()
    assert "Vous ne changez pas vos propres droits" in page


def test_another_administrator_of_the_caf_can_demote_one(admin_client, nord_convention):
    colleague = UserFactory(role=Role.CAF_ADMIN, caf=nord_convention.caf)
    fields = {"last_name": "Collègue", "role": Role.CAF_STAFF, "is_active": "on"}
    assert admin_client.post(reverse("administration_account_edit", args=[colleague.pk]), fields).status_code == 302

    colleague.refresh_from_db()
    assert colleague.role == Role.CAF_STAFF


def test_a_new_password_replaces_the_lost_one_and_lifts_a_lockout(admin_client, client, caf_staff):
    for _ in range(5):
        locked = client.post(reverse("login"), {"username": caf_staff.username, "password": "pas le bon"})
    assert locked.status_code == 429

    fields = {"new_password1": PASSWORD, "new_password2": PASSWORD}
    response = admin_client.post(reverse("administration_account_password", args=[caf_staff.pk]), fields)
    assert response.status_code == 302

    assert logs_in(client, caf_staff.username, PASSWORD)
    caf_staff.refresh_from_db()
    assert not caf_staff.check_password("mot-de-passe-de-test")


def test_two_different_new_passwords_change_nothing(admin_client, caf_staff):
    fields = {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"}
    response = admin_client.post(reverse("administration_account_password", args=[caf_staff.pk]), fields)

    assert response.status_code == 422
    assert "Les deux mots de passe ne correspondent pas." in response.content.decode()
    caf_staff.refresh_from_db()
    assert caf_staff.check_password("mot-de-passe-de-test")


def test_a_new_account_gets_the_role_chosen_for_it(admin_client):
    response = admin_client.post(reverse("administration_account_create"), new_account(role=""))

    assert response.status_code == 422
    assert "Choisissez un rôle" in response.content.decode()
    assert not User.objects.filter(username="camille.durand").exists()


def test_an_account_given_by_the_caf_stays_its_own_when_the_collectivite_no_longer_signs(
    admin_client, client, nord_convention
):
    armentieres = nord_convention.signatories.get(collectivite__isnull=False)
    fields = new_account(username="cc.armentieres", role=Role.COMMUNE, collectivite=armentieres.collectivite.pk)
    admin_client.post(reverse("administration_account_create"), fields)
    account = User.objects.get(username="cc.armentieres")
    armentieres.delete()

    assert reverse("administration_account_edit", args=[account.pk]) in (
        admin_client.get(reverse("administration_accounts")).content.decode()
    )
    fields = {"last_name": "Durand", "role": Role.COMMUNE, "collectivite": account.collectivite_id}
    response = admin_client.post(reverse("administration_account_edit", args=[account.pk]), fields)
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active


def test_an_administrator_changes_their_own_password_on_their_own_page(admin_client, caf_admin):
    response = admin_client.get(reverse("administration_account_password", args=[caf_admin.pk]))

    assert response.status_code == 302
    assert response.url == reverse("password_change")


def test_the_list_shows_who_is_locked_out(admin_client, client, caf_staff, caf_admin):
    for _ in range(5):
        client.post(reverse("login"), {"username": caf_staff.username, "password": "pas le bon"})

    page = admin_client.get(reverse("administration_accounts")).content.decode()
    assert "Bloqué après trop d'essais" in row_of(page, caf_staff)
    assert "Bloqué" not in row_of(page, caf_admin)


def row_of(page, account):
    """The line of the accounts' table that shows `account`."""
    rows = page.split("</tbody>")[0].split("<tr")[2:]
    return next(row for row in rows if f"<td>{account.username}</td>" in row)


def test_the_accounts_history_tells_who_deactivated_it_and_never_holds_a_password(admin_client, caf_admin, caf_staff):
    fields = {"last_name": caf_staff.last_name, "role": Role.CAF_STAFF}  # and not active
    admin_client.post(reverse("administration_account_edit", args=[caf_staff.pk]), fields)

    page = html_text(admin_client.get(reverse("administration_account_edit", args=[caf_staff.pk])).content.decode())
    assert f"{caf_admin.username} — modification — Compte « {caf_staff.username} »" in page
    assert "Actif : « oui » → « non »" in page
    assert "password" not in {field.name for field in User.history.model._meta.fields}
