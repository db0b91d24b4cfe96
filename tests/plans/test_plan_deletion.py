"""Axes renamed and deleted, fiches actions deleted: each deletion asks to confirm, says what goes
with it, and never empties a signed plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from conventions.rendering.document import build_document
from conventions.rendering.output import document_html
from plans.models import ActionSheet, Axis, FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(nord_convention):
    return ActionSheet.objects.filter(axis__convention=nord_convention).order_by("axis__position", "position").first()


def document_of(convention):
    return document_html(build_document(convention), for_pdf=True)


def in_document(text, convention):
    return escape(text) in document_of(convention)


def test_a_fiche_action_is_deleted_after_its_confirmation_page_and_leaves_the_document(
    client, commune_user, nord_convention, action
):
    client.force_login(commune_user)
    url = reverse("action_delete", args=[nord_convention.pk, action.pk])
    assert f'href="{url}"' in client.get(reverse("plan", args=[nord_convention.pk])).content.decode()

    page = client.get(url).content.decode()
    assert ActionSheet.objects.filter(pk=action.pk).exists()  # asking is not deleting
    assert escape(f"Supprimer la fiche action « {action.title} » ?") in page
    assert "définitive" in page

    response = client.post(url, follow=True)

    assert not ActionSheet.objects.filter(pk=action.pk).exists()
    assert escape(f"Fiche action « {action.title} » supprimée.") in response.content.decode()
    assert in_document(action.title, nord_convention) is False


def test_the_confirmation_says_the_quarterly_updates_go_with_the_fiche(client, commune_user, nord_convention, action):
    for month in (1, 4):
        FollowUp.objects.create(
            action=action, author=commune_user, period=datetime.date(2025, month, 1), status="in_progress", progress=10
        )
    client.force_login(commune_user)
    url = reverse("action_delete", args=[nord_convention.pk, action.pk])

    assert "Ses 2 suivis trimestriels enregistrés seront supprimés avec elle." in client.get(url).content.decode()
    client.post(url)

    assert not FollowUp.objects.filter(action_id=action.pk).exists()


def test_an_axis_that_still_holds_fiches_is_not_deleted_and_the_page_says_why(client, caf_staff, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    count = axis.actions.count()
    client.force_login(caf_staff)
    url = reverse("axis_delete", args=[nord_convention.pk, axis.pk])

    page = client.get(url).content.decode()
    response = client.post(url)

    assert escape(f"contient encore {count} fiches actions : supprimez-les d'abord") in page
    assert 'type="submit"' not in page
    assert response.status_code == 409
    assert Axis.objects.filter(pk=axis.pk).exists()


def test_an_axis_holding_one_fiche_says_to_delete_it_in_the_singular(client, caf_staff, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    axis.actions.exclude(pk=axis.actions.order_by("position").first().pk).delete()
    client.force_login(caf_staff)

    page = client.get(reverse("axis_delete", args=[nord_convention.pk, axis.pk])).content.decode()

    assert escape("contient encore 1 fiche action : supprimez-la d'abord.") in page


def test_an_emptied_axis_is_deleted_and_the_next_takes_its_number(client, caf_staff, nord_convention):
    first, second = list(nord_convention.axes.order_by("position"))[:2]
    first.actions.all().delete()
    client.force_login(caf_staff)

    client.post(reverse("axis_delete", args=[nord_convention.pk, first.pk]))

    assert not Axis.objects.filter(pk=first.pk).exists()
    assert in_document(f"Axe 1 : {second.title}", nord_convention)


def test_an_axis_is_renamed_and_an_empty_title_is_refused(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    client.force_login(commune_user)
    url = reverse("axis_edit", args=[nord_convention.pk, axis.pk])

    refused = client.post(url, {"title": ""})
    assert refused.status_code == 200
    assert "Ce champ est obligatoire." in refused.content.decode()
    client.post(url, {"title": "Soutenir la parentalité"})

    axis.refresh_from_db()
    assert axis.title == "Soutenir la parentalité"
    assert in_document("Axe 1 : Soutenir la parentalité", nord_convention)


@pytest.mark.parametrize("url_name", ["action_delete", "axis_delete", "axis_edit"])
def test_a_signed_plan_loses_nothing(client, caf_staff, nord_convention, action, url_name):
    type(nord_convention).objects.filter(pk=nord_convention.pk).update(status="signed")
    target = action.pk if url_name == "action_delete" else action.axis_id
    client.force_login(caf_staff)

    response = client.post(reverse(url_name, args=[nord_convention.pk, target]), {"title": "x"})

    assert response.status_code == 403
    assert ActionSheet.objects.filter(pk=action.pk).exists()
    assert Axis.objects.get(pk=action.axis_id).title == action.axis.title


@pytest.mark.parametrize("url_name", ["action_delete", "axis_delete", "axis_edit"])
def test_another_commune_finds_nothing_to_delete(client, other_commune_user, nord_convention, action, url_name):
    target = action.pk if url_name == "action_delete" else action.axis_id
    client.force_login(other_commune_user)

    assert client.post(reverse(url_name, args=[nord_convention.pk, target])).status_code == 404
    assert ActionSheet.objects.filter(pk=action.pk).exists()


def test_a_deleted_fiche_action_stays_in_the_conventions_history_with_its_text(
    client, commune_user, nord_convention, action
):
    client.force_login(commune_user)
    client.post(reverse("action_edit", args=[nord_convention.pk, action.pk]), fiche_data(action, "Familles du Bizet"))

    client.post(reverse("action_delete", args=[nord_convention.pk, action.pk]))

    page = client.get(reverse("convention_history", args=[nord_convention.pk])).content.decode()
    assert escape(f"Fiche action « {action.title} »") in page
    assert "suppression" in page
    deleted = ActionSheet.history.get(id=action.pk, history_type="-")
    assert deleted.target_public == "Familles du Bizet"
    assert deleted.history_user == commune_user


def fiche_data(action, target_public):
    from plans.forms import action_sheet_form_class

    form = action_sheet_form_class(action)(instance=action)
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["target_public"] = target_public
    return data
