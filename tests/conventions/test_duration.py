import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from conventions.models import Convention, ConventionKind
from tests.conventions.factories import ConventionFactory, ConventionTemplateFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "kind", "latest"),
    [
        (D(2024, 1, 1), ConventionKind.CTG, D(2028, 12, 31)),
        (D(2024, 9, 15), ConventionKind.CTG, D(2028, 12, 31)),
        (D(2022, 1, 1), ConventionKind.ACTE_ENGAGEMENT, D(2022, 12, 31)),
        (D(2024, 2, 29), ConventionKind.ACTE_ENGAGEMENT, D(2025, 2, 28)),  # a year from a 29 February
    ],
)
def test_max_end_date(start, kind, latest):
    assert Convention.max_end_date(start, kind) == latest


def build(kind=ConventionKind.CTG, **dates):
    return ConventionFactory.build(template=ConventionTemplateFactory(kind=kind), caf=None, caf_id=None, **dates)


@pytest.mark.django_db
def test_end_date_on_31_december_of_year_plus_4_is_accepted():
    convention = build(start_date=D(2024, 1, 1), end_date=D(2028, 12, 31))
    convention.clean()


@pytest.mark.django_db
def test_end_date_one_day_later_is_refused_with_the_rule_and_the_limit():
    convention = build(start_date=D(2024, 1, 1), end_date=D(2029, 1, 1))
    with pytest.raises(ValidationError) as error:
        convention.clean()
    message = error.value.message_dict["end_date"][0]
    assert "Règle de durée" in message
    assert "31 décembre 2028" in message


@pytest.mark.django_db
def test_an_acte_d_engagement_lasts_one_year_at_most():
    build(ConventionKind.ACTE_ENGAGEMENT, start_date=D(2022, 1, 1), end_date=D(2022, 12, 31)).clean()
    with pytest.raises(ValidationError) as error:
        build(ConventionKind.ACTE_ENGAGEMENT, start_date=D(2022, 1, 1), end_date=D(2023, 1, 1)).clean()
    assert "un an" in error.value.message_dict["end_date"][0]


@pytest.mark.django_db
def test_start_after_end_is_refused():
    with pytest.raises(ValidationError) as error:
        build(start_date=D(2025, 6, 1), end_date=D(2025, 5, 31)).clean()
    assert "end_date" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_start_after_the_end():
    with pytest.raises(IntegrityError):
        ConventionFactory(start_date=D(2025, 6, 1), end_date=D(2025, 5, 31))


@pytest.mark.django_db
def test_the_admin_form_refuses_a_convention_that_breaks_the_duration_rule(client, superuser, nord_convention):
    client.force_login(superuser)
    url = f"/admin/conventions/convention/{nord_convention.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("created_at", "updated_at")
    }
    data.update(
        {
            "options": "{}",
            "start_date": "2023-01-01",
            "end_date": "2028-01-01",
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "31 décembre 2027" in response.content.decode()
    nord_convention.refresh_from_db()
    assert nord_convention.end_date == D(2026, 12, 31)
