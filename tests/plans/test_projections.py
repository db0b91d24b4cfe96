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
