"""The plan d'actions in the browser: who reads, who fills, and what a quarterly update records."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from plans.models import ActionSheet, FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def action(nord_convention):
    return ActionSheet.objects.filter(axis__convention=nord_convention).order_by("axis__position", "position").first()


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(None, 302, id="anonymous is sent to the login page"),
        pytest.param("caf_staff", 200, id="Caf staff reads the plan"),
        pytest.param("commune_user", 200, id="the signing commune reads the plan"),
        pytest.param("other_caf_staff", 404, id="another Caf does not see it"),
        pytest.param("other_commune_user", 404, id="another commune does not see it"),
    ],
)
@pytest.mark.parametrize("url_name", ["plan", "dashboard"])
def test_who_may_read_the_plan_and_the_dashboard(client, request, nord_convention, role, status, url_name):
    user = request.getfixturevalue(role) if role else None
    response = login(client, user).get(reverse(url_name, args=[nord_convention.pk]))
    assert response.status_code == status


def test_the_signing_commune_fills_a_fiche_action_with_its_model_grid(client, commune_user, nord_convention, action):
    url = reverse("action_edit", args=[nord_convention.pk, action.pk])
    form = login(client, commune_user).get(url).context["form"]
    assert "ao_specifics" not in form.fields  # the Nord model's grid has no AO row
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["target_public"] = "Familles monoparentales du quartier Route de Lille."
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.target_public == "Familles monoparentales du quartier Route de Lille."


def test_the_nord_grid_has_no_diagnostic_initial_as_its_seed(client, commune_user, nord_convention, action):
    url = reverse("action_edit", args=[nord_convention.pk, action.pk])

    form = login(client, commune_user).get(url).context["form"]

    assert "initial_diagnosis" not in form.fields and "target_public" in form.fields


def test_a_diagnostic_written_before_the_grid_lost_its_row_stays_shown_and_printed(
    client, commune_user, nord_convention, action
):
    ActionSheet.objects.filter(pk=action.pk).update(initial_diagnosis="Peu de places pour les moins de 3 ans.")
    action.refresh_from_db()
    url = reverse("action_edit", args=[nord_convention.pk, action.pk])

    form = login(client, commune_user).get(url).context["form"]

    assert form.initial["initial_diagnosis"] == "Peu de places pour les moins de 3 ans."
    assert ("diagnostic initial", "Peu de places pour les moins de 3 ans.") in action.grid


def test_the_national_model_grid_adds_the_ao_specifics(client, superuser, demo):
    convention = demo["national-2025-demo"]
    action = ActionSheet.objects.filter(axis__convention=convention).first()
    form = login(client, superuser).get(reverse("action_edit", args=[convention.pk, action.pk])).context["form"]
    assert "ao_specifics" in form.fields


def test_another_commune_cannot_touch_the_plan(client, other_commune_user, nord_convention, action):
    url = reverse("action_edit", args=[nord_convention.pk, action.pk])
    assert login(client, other_commune_user).post(url, {"title": "x"}).status_code == 404


def test_a_commune_user_cannot_touch_the_articles(client, commune_user, nord_convention):
    article = nord_convention.articles.filter(editable=True).first()
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    response = login(client, commune_user).post(url, {"text": "Réécrit", "opened_version": article.version})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.text != "Réécrit"


def test_a_quarterly_update_is_dated_and_signed_by_its_author(client, commune_user, nord_convention, action):
    url = reverse("follow_up_add", args=[nord_convention.pk, action.pk])
    data = {"period": "2025-04-01", "status": "in_progress", "progress": "40", "comment": "Deux réunions tenues."}
    response = login(client, commune_user).post(url, data)
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(action=action)
    assert (follow_up.author, follow_up.period, follow_up.progress) == (commune_user, datetime.date(2025, 4, 1), 40)
    page = client.get(reverse("action_edit", args=[nord_convention.pk, action.pk])).content.decode()
    assert "T2 2025" in page and commune_user.username in page


def test_an_indicator_is_typed_as_french_writes_numbers(client, commune_user, nord_convention, action):
    url = reverse("follow_up_add", args=[nord_convention.pk, action.pk])
    data = {"period": "2025-04-01", "status": "in_progress", "progress": "40", "indicator_value": "1 234,5"}
    data["indicator_target"] = "2\u202f000,75"

    assert login(client, commune_user).post(url, data).status_code == 302

    follow_up = FollowUp.objects.get(action=action)
    assert (follow_up.indicator_value, follow_up.indicator_target) == (Decimal("1234.5"), Decimal("2000.75"))


def test_a_quarterly_update_shows_its_indicator_the_french_way(client, commune_user, nord_convention, action):
    url = reverse("follow_up_add", args=[nord_convention.pk, action.pk])
    data = {"period": "2025-04-01", "status": "in_progress", "progress": "40", "indicator_value": "1000"}
    data["indicator_target"] = "12,50"

    response = login(client, commune_user).post(url, data, follow=True)

    assert "1\u202f000 / 12,5</td>" in response.content.decode()


def test_a_second_update_of_a_quarter_says_it_replaces_the_first(client, commune_user, nord_convention, action):
    url = reverse("follow_up_add", args=[nord_convention.pk, action.pk])
    login(client, commune_user).post(url, {"period": "2025-04-01", "status": "in_progress", "progress": "40"})

    response = client.post(url, {"period": "2025-04-01", "status": "in_progress", "progress": "50"}, follow=True)

    first = FollowUp.objects.filter(action=action).order_by("created_at").first()
    message = (
        "Suivi du T2 2025 enregistré : pour ce trimestre, il remplace celui enregistré le "
        f"{timezone.localtime(first.created_at):%d/%m/%Y}, qui reste dans l&#x27;historique ci-dessous."
    )
    assert message in response.content.decode()
    assert FollowUp.objects.filter(action=action).latest_per_action()[action.pk].progress == 50


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "2025-05-12", "status": "in_progress", "progress": "40"}, "period", "premier jour d'un trimestre"),
        ({"period": "2025-04-01", "status": "in_progress", "progress": "140"}, "progress", "100"),
        ({"period": "2025-04-01", "status": "done", "progress": "60"}, "progress", "100 %"),
        (
            {"period": "2025-04-01", "status": "not_started", "progress": "80"},
            "progress",
            "non commencée est avancée à 0 %",
        ),
    ],
    ids=["not the first day of a quarter", "progress above 100 %", "done but not at 100 %", "not started but at 80 %"],
)
def test_a_bad_quarterly_update_is_refused_and_nothing_saved(
    client, commune_user, nord_convention, action, data, field, message
):
    response = login(client, commune_user).post(reverse("follow_up_add", args=[nord_convention.pk, action.pk]), data)
    assert response.status_code == 422
    assert message in " ".join(response.context["follow_up_form"].errors[field])
    assert not FollowUp.objects.filter(action=action).exists()


def test_the_dashboard_shows_progress_by_axis_from_the_latest_updates(
    client, caf_staff, commune_user, nord_convention, action
):
    for period, progress in (("2025-01-01", 20), ("2025-04-01", 60)):
        FollowUp.objects.create(
            action=action, period=period, status="in_progress", progress=progress, author=commune_user
        )
    axis = action.axis
    expected = round(60 / axis.actions.count())
    response = login(client, caf_staff).get(reverse("dashboard", args=[nord_convention.pk]))
    first = response.context["axes"][0]
    assert (first.title, first.progress) == (axis.title, expected)
    assert f"{expected} %" in response.content.decode()


def test_moving_an_axis_down_swaps_it_with_the_next(client, caf_staff, nord_convention):
    first, second = list(nord_convention.axes.order_by("position"))[:2]
    login(client, caf_staff).post(reverse("axis_move", args=[nord_convention.pk, first.pk, "descendre"]))
    assert list(nord_convention.axes.order_by("position"))[:2] == [second, first]


def test_a_signed_plan_keeps_its_structure_but_takes_follow_ups(client, caf_staff, nord_convention, action):
    type(nord_convention).objects.filter(pk=nord_convention.pk).update(status="signed")
    login(client, caf_staff)
    assert client.post(reverse("axis_add", args=[nord_convention.pk]), {"title": "Créer"}).status_code == 403
    assert client.post(reverse("action_edit", args=[nord_convention.pk, action.pk]), {"title": "x"}).status_code == 403
    data = {"period": "2025-07-01", "status": "in_progress", "progress": "50"}
    assert client.post(reverse("follow_up_add", args=[nord_convention.pk, action.pk]), data).status_code == 302


def test_a_signed_plan_answers_403_to_a_new_fiche_page_and_still_shows_a_fiche(
    client, caf_staff, nord_convention, action
):
    type(nord_convention).objects.filter(pk=nord_convention.pk).update(status="signed")
    login(client, caf_staff)

    response = client.get(reverse("action_add", args=[nord_convention.pk, action.axis.pk]))

    assert response.status_code == 403
    assert "La convention est signée" in response.content.decode()
    assert client.get(reverse("action_edit", args=[nord_convention.pk, action.pk])).status_code == 200


def test_a_new_fiche_goes_to_the_end_of_its_axis(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    last = axis.actions.order_by("-position").first().position
    client.force_login(commune_user)
    url = reverse("action_add", args=[nord_convention.pk, axis.pk])
    response = client.post(url, {"title": "Ouvrir un lieu d'accueil enfants-parents"})
    assert response.status_code == 302
    created = axis.actions.get(title="Ouvrir un lieu d'accueil enfants-parents")
    assert created.position == last + 1


def test_a_fiche_added_while_a_colleague_adds_one_goes_after_it(client, commune_user, nord_convention, monkeypatch):
    """Between the place a new fiche was given and its save, a colleague's fiche took that place:
    the fiche goes after it (it was a 500: « ordre » is not a field of the page)."""
    axis = nord_convention.axes.order_by("position").first()
    last = axis.actions.order_by("-position").first().position
    checked = ActionSheet.clean

    def colleague_adds_one_then_clean(self):
        if not ActionSheet.objects.filter(title="Fiche du collègue").exists():
            ActionSheet.objects.create(axis=axis, title="Fiche du collègue", position=last + 1)
        checked(self)

    monkeypatch.setattr(ActionSheet, "clean", colleague_adds_one_then_clean)
    client.force_login(commune_user)

    response = client.post(reverse("action_add", args=[nord_convention.pk, axis.pk]), {"title": "Ma fiche"})

    assert response.status_code == 302
    assert axis.actions.get(title="Ma fiche").position == last + 2


def test_after_a_refused_quarterly_update_the_fiche_form_still_saves_the_fiche(
    client, commune_user, nord_convention, action
):
    refused = login(client, commune_user).post(
        reverse("follow_up_add", args=[nord_convention.pk, action.pk]), {"period": "2025-02-15"}
    )

    fiche_url = reverse("action_edit", args=[nord_convention.pk, action.pk])
    assert f'<form method="post" action="{fiche_url}"' in refused.content.decode()


def test_an_axis_title_too_long_is_refused_with_why_and_kept(client, caf_staff, nord_convention):
    title = "Renforcer " + "l'offre d'accueil " * 20  # 370 characters
    before = nord_convention.axes.count()

    response = login(client, caf_staff).post(reverse("axis_add", args=[nord_convention.pk]), {"title": title})

    assert response.status_code == 422
    page = response.content.decode()
    assert "comporte au plus 300 caractères" in page
    assert f'value="{escape(title)}"' in page  # what was typed is still in the field
    assert nord_convention.axes.count() == before


def test_a_new_fiche_with_the_title_of_another_of_its_axis_is_refused(client, commune_user, nord_convention):
    """The fiche form refuses a second fiche of an axis with a title the axis has (the import
    finds a fiche by its axis and its title)."""
    axis = nord_convention.axes.order_by("position").first()
    existing = axis.actions.order_by("position").first()
    count = axis.actions.count()
    login(client, commune_user)

    response = client.post(reverse("action_add", args=[nord_convention.pk, axis.pk]), {"title": existing.title})

    assert (
        escape(
            f"L'axe « {axis.title} » a déjà une fiche action intitulée « {existing.title} » : donnez à celle-ci "
            "un autre intitulé, ou complétez la fiche existante."
        )
        in response.content.decode()
    )
    assert axis.actions.count() == count


def test_a_fiche_renamed_as_another_of_its_axis_is_refused(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    first, second = axis.actions.order_by("position")[:2]
    login(client, commune_user)
    edit = reverse("action_edit", args=[nord_convention.pk, second.pk])
    form = client.get(edit).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields} | {"title": first.title}

    response = client.post(edit, data)

    assert escape(f"a déjà une fiche action intitulée « {first.title} »") in response.content.decode()
    second.refresh_from_db()
    assert second.title != first.title


def test_a_fiche_may_share_its_title_with_one_of_another_axis(client, commune_user, nord_convention):
    first_axis, second_axis = nord_convention.axes.order_by("position")[:2]
    title = first_axis.actions.order_by("position").first().title
    login(client, commune_user)

    response = client.post(reverse("action_add", args=[nord_convention.pk, second_axis.pk]), {"title": title})

    assert response.status_code == 302
    assert second_axis.actions.filter(title=title).exists()
