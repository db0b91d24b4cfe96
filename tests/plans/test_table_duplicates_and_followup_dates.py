"""A table of the plan names each line once, and a quarterly update reports on a begun quarter of
the convention."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from conventions.models import Role
from plans.models import ActionSheet, AOCompetence, FollowUp, PlacesProjection
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db

ALREADY_THERE = "Cette ligne existe déjà"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def convention(demo):
    return demo["national-2025-demo"]


@pytest.fixture
def signing_commune_client(client, convention):
    commune = convention.collectivites().filter(kind="commune").first()
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=commune))
    return client


def posted_back(formset, new_lines=()):
    """The table as the browser posts it back, with `new_lines` typed into added rows."""
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.initial_forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[form.add_prefix(name)] = "" if value is None else getattr(value, "pk", value)
    first_new = len(formset.initial_forms)
    for index, line in enumerate(new_lines, start=first_new):
        data.update({f"{formset.prefix}-{index}-{name}": value for name, value in line.items()})
    data[f"{formset.prefix}-TOTAL_FORMS"] = first_new + len(new_lines)
    return data


def a_missing_ao_line(convention):
    """A commune's optional competence, taken out of the AO table so that it may be added again."""
    optional = next(line for line in convention.ao_competences.select_related("collectivite") if line.is_optional)
    optional.delete()
    return {"collectivite": optional.collectivite_id, "competence": optional.competence, "exercised_by": "commune"}


def a_copy_of(line, *fields):
    return {name: getattr(line, f"{name}_id", None) or getattr(line, name) for name in fields}


# The AO table.


def test_an_ao_line_repeating_a_saved_line_is_refused_and_nothing_saved(signing_commune_client, convention):
    url = reverse("ao_table", args=[convention.pk])
    saved = convention.ao_competences.filter(collectivite__kind="commune").select_related("collectivite").first()
    repeated = {**a_copy_of(saved, "collectivite", "competence"), "exercised_by": "commune"}
    before = convention.ao_competences.count()

    response = signing_commune_client.post(
        url, posted_back(signing_commune_client.get(url).context["formset"], [repeated])
    )

    assert response.status_code == 422
    assert escape(f"{ALREADY_THERE} : {saved}.") in response.content.decode()
    assert convention.ao_competences.count() == before
    typed = response.context["formset"].forms[-1]
    assert (typed["collectivite"].value(), typed["competence"].value()) == (
        str(saved.collectivite_id),
        saved.competence,
    )


def test_the_same_ao_line_added_twice_is_refused_and_nothing_saved(signing_commune_client, convention):
    url = reverse("ao_table", args=[convention.pk])
    line = a_missing_ao_line(convention)
    before = convention.ao_competences.count()

    response = signing_commune_client.post(
        url, posted_back(signing_commune_client.get(url).context["formset"], [line, line])
    )

    assert response.status_code == 422
    assert ALREADY_THERE in response.content.decode()
    assert convention.ao_competences.count() == before


def test_a_new_ao_line_added_once_is_saved(signing_commune_client, convention):
    url = reverse("ao_table", args=[convention.pk])
    line = a_missing_ao_line(convention)

    response = signing_commune_client.post(
        url, posted_back(signing_commune_client.get(url).context["formset"], [line])
    )

    assert response.status_code == 302
    assert AOCompetence.objects.filter(convention=convention, **line).exists()


# The projection table.


def test_a_projection_repeating_a_saved_line_is_refused_and_nothing_saved(signing_commune_client, convention):
    url = reverse("projections", args=[convention.pk])
    saved = convention.places_projections.select_related("collectivite").first()
    before = convention.places_projections.count()

    response = signing_commune_client.post(
        url,
        posted_back(signing_commune_client.get(url).context["formset"], [a_copy_of(saved, "collectivite", "mode")]),
    )

    assert response.status_code == 422
    assert escape(f"{ALREADY_THERE} : {saved}.") in response.content.decode()
    assert convention.places_projections.count() == before


def test_the_same_projection_added_twice_is_refused_and_nothing_saved(signing_commune_client, convention):
    url = reverse("projections", args=[convention.pk])
    present = set(convention.places_projections.values_list("collectivite_id", "mode"))
    commune = convention.collectivites().filter(kind="commune").first()
    mode = next(code for code, _label in PlacesProjection.mode.field.choices if (commune.pk, code) not in present)
    line = {"collectivite": commune.pk, "mode": mode, "current": "12"}
    before = convention.places_projections.count()

    response = signing_commune_client.post(
        url, posted_back(signing_commune_client.get(url).context["formset"], [line, line])
    )

    assert response.status_code == 422
    assert ALREADY_THERE in response.content.decode()
    assert convention.places_projections.count() == before


# Quarterly updates.


@pytest.fixture
def today_is(monkeypatch):
    def set_today(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


def follow_up(convention, author, period):
    action = ActionSheet.objects.filter(axis__convention=convention).first()
    return FollowUp(action=action, period=period, status="in_progress", progress=10, author=author)


def period_errors(follow_up):
    with pytest.raises(ValidationError) as error:
        follow_up.full_clean()
    return " ".join(error.value.message_dict["period"])


@pytest.mark.parametrize("period", [datetime.date(2040, 1, 1), datetime.date(2010, 1, 1)], ids=["after", "before"])
def test_a_quarter_outside_the_convention_is_refused_with_its_period(convention, superuser, today_is, period):
    today_is(datetime.date(2041, 1, 1))
    start, end = (f"{day:%d/%m/%Y}" for day in (convention.start_date, convention.end_date))

    message = period_errors(follow_up(convention, superuser, period))

    assert message == f"Ce trimestre est hors de la période de la convention (du {start} au {end})."


def test_the_first_and_last_quarters_of_the_convention_are_accepted(convention, superuser, today_is):
    today_is(convention.end_date)
    last_quarter = datetime.date(convention.end_date.year, 10, 1)
    for period in (convention.start_date, last_quarter):
        follow_up(convention, superuser, period).full_clean()


def test_a_quarter_overlapping_a_convention_starting_mid_quarter_is_accepted(convention, superuser, today_is):
    today_is(datetime.date(2026, 1, 1))
    type(convention).objects.filter(pk=convention.pk).update(start_date=datetime.date(2025, 2, 15))
    convention.refresh_from_db()
    follow_up(convention, superuser, datetime.date(2025, 1, 1)).full_clean()


def test_a_quarter_not_yet_begun_is_refused_but_the_current_one_accepted(convention, superuser, today_is):
    today_is(datetime.date(2026, 5, 15))
    assert period_errors(follow_up(convention, superuser, datetime.date(2026, 7, 1))) == (
        "Ce trimestre n'a pas encore commencé."
    )
    follow_up(convention, superuser, datetime.date(2026, 4, 1)).full_clean()


def test_a_quarterly_update_outside_the_convention_is_refused_on_the_page(
    client, commune_user, nord_convention, today_is
):
    today_is(datetime.date(2026, 5, 15))
    action = ActionSheet.objects.filter(axis__convention=nord_convention).first()
    client.force_login(commune_user)
    data = {"period": "2040-01-01", "status": "in_progress", "progress": "40"}

    response = client.post(reverse("follow_up_add", args=[nord_convention.pk, action.pk]), data)

    assert response.status_code == 422
    assert "hors de la période de la convention (du 01/01/2023 au 31/12/2026)" in " ".join(
        response.context["follow_up_form"].errors["period"]
    )
    assert not FollowUp.objects.filter(action=action).exists()
