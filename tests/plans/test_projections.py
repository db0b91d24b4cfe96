import pytest
from django.core.exceptions import ValidationError

from plans.models import CareMode, PlacesProjection

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


def test_a_negative_or_non_numeric_projection_is_refused(demo):
    for value in (-1, "douze"):
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
