from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.models import CareMode, PlacesProjection, projected_count_error

pytestmark = pytest.mark.django_db


def projection(convention, **fields):
    collectivite = convention.signatories.filter(collectivite__isnull=False).first().collectivite
    return PlacesProjection(convention=convention, collectivite=collectivite, mode=CareMode.MAM, **fields)


def test_a_projection_covers_the_years_of_the_convention(demo):
    convention = demo["national-2025-demo"]
    row = projection(convention, by_year={"2025": 12, "2029": 24})
    row.full_clean()
    assert row.values_for(convention.years) == [12, None, None, None, 24]


def test_a_year_outside_the_convention_is_refused_with_the_year(demo):
    row = projection(demo["national-2025-demo"], by_year={"2031": 12})
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "2031" in error.value.message_dict["by_year"][0]


def test_a_negative_infinite_or_non_numeric_projection_is_refused(demo):
    for value in (-1, "douze", float("inf"), float("nan")):
        with pytest.raises(ValidationError):
            projection(demo["national-2025-demo"], by_year={"2026": value}).full_clean()


def test_the_rpe_is_counted_in_etp():
    assert PlacesProjection(mode=CareMode.RPE).unit == "ETP"
    assert PlacesProjection(mode=CareMode.EAJE_PSU).unit == "places"


def posted(formset):
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[form.add_prefix(name)] = "" if value is None else getattr(value, "pk", value)
    return data


def test_the_projection_page_has_one_column_per_year_and_saves_them(client, superuser, demo, settings, tmp_path):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    convention = demo["national-2025-demo"]
    client.force_login(superuser)
    url = reverse("projections", args=[convention.pk])
    response = client.get(url)
    formset = response.context["formset"]
    first = formset.forms[0]
    assert first.year_fields == [f"year_{year}" for year in convention.years]
    data = posted(formset)
    data[first.add_prefix("year_2029")] = "80"
    assert client.post(url, data).status_code == 302
    first.instance.refresh_from_db()
    assert first.instance.by_year["2029"] == 80


def test_negative_counts_today_and_for_a_year_are_refused_and_nothing_saved(
    client, superuser, demo, settings, tmp_path
):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    convention = demo["national-2025-demo"]
    client.force_login(superuser)
    url = reverse("projections", args=[convention.pk])
    formset = client.get(url).context["formset"]
    first = formset.forms[0]
    before = first.instance.current, dict(first.instance.by_year)
    data = posted(formset)
    data[first.add_prefix("current")] = "-3"
    data[first.add_prefix("year_2027")] = "-4"

    response = client.post(url, data)

    assert response.status_code == 422
    errors = response.context["formset"].forms[0].errors
    assert errors["current"] == errors["year_2027"] == ["Assurez-vous que cette valeur est supérieure ou égale à 0."]
    first.instance.refresh_from_db()
    assert (first.instance.current, first.instance.by_year) == before


@pytest.mark.parametrize(
    ("mode", "value", "error"),
    [
        pytest.param(CareMode.EAJE_PSU, Decimal("34"), None, id="a whole number of places"),
        pytest.param(CareMode.EAJE_PSU, Decimal("10000"), None, id="10 000 places, the most a line counts"),
        pytest.param(CareMode.RPE, Decimal("1.5"), None, id="ETP of a RPE with a decimal"),
        pytest.param(
            CareMode.EAJE_PSU,
            Decimal("2.5"),
            "Un nombre de places est entier : 2,5 n'en est pas un.",
            id="places with a decimal",
        ),
        pytest.param(
            CareMode.PASSERELLE,
            Decimal("1.5"),
            "Un nombre de dispositifs est entier : 1,5 n'en est pas un.",
            id="dispositifs with a decimal",
        ),
        pytest.param(
            CareMode.EAJE_PSU,
            Decimal("5000000"),
            "Au plus 10\u202f000 places sur une ligne : vérifiez le nombre saisi (5\u202f000\u202f000).",
            id="5 000 000 places",
        ),
        pytest.param(
            CareMode.RPE,
            Decimal("10000.5"),
            "Au plus 10\u202f000 ETP sur une ligne : vérifiez le nombre saisi (10\u202f000,5).",
            id="more than 10 000 ETP",
        ),
    ],
)
def test_a_projected_count_is_whole_but_for_etp_and_at_most_10_000(mode, value, error):
    assert projected_count_error(mode, value) == error


@pytest.fixture
def projections_page(client, superuser, demo, settings, tmp_path):
    """The national demo's projections page, opened by a superuser: its URL and its first line's form."""
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    client.force_login(superuser)
    url = reverse("projections", args=[demo["national-2025-demo"].pk])
    return url, client.get(url).context["formset"]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        pytest.param("current", "2.5", "Un nombre de places est entier : 2,5 n&#x27;en est pas un.", id="2.5 today"),
        pytest.param(
            "year_2027", "5000000", "Au plus 10\u202f000 places sur une ligne", id="5 000 000 places in 2027"
        ),
    ],
)
def test_an_absurd_count_of_places_is_refused_in_french_and_nothing_saved(
    client, projections_page, field, typed, message
):
    url, formset = projections_page
    first = formset.forms[0]
    assert first.instance.unit == "places"
    before = first.instance.current, dict(first.instance.by_year)
    data = posted(formset)
    data[first.add_prefix(field)] = typed

    response = client.post(url, data)

    assert response.status_code == 422
    assert message in response.content.decode()
    first.instance.refresh_from_db()
    assert (first.instance.current, first.instance.by_year) == before


def test_the_projection_page_shows_whole_numbers_without_a_decimal(client, projections_page):
    url, formset = projections_page
    first = formset.forms[0]
    PlacesProjection.objects.filter(pk=first.instance.pk).update(by_year={"2025": 34.0})

    page = client.get(url).content.decode()

    assert f'name="{first.add_prefix("current")}" value="{first.instance.current:.0f}"' in page
    assert f'name="{first.add_prefix("year_2025")}" value="34"' in page
