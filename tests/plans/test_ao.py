import datetime

import pytest

from plans import ao


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, ["recensement", "information"]),
        (3_500, ["recensement", "information"]),  # "above" is strictly greater
        (3_501, ["recensement", "information", "planification"]),
        (10_000, ["recensement", "information", "planification"]),
        (10_001, ["recensement", "information", "planification", "qualite"]),
    ],
)
def test_mandatory_competences_follow_the_population_thresholds(population, expected):
    assert ao.mandatory_competences(population) == expected


def test_optional_competences_are_the_others():
    assert ao.optional_competences(3_500) == ["planification", "qualite"]
    assert ao.optional_competences(10_001) == []


def test_rpe_is_required_above_10000_inhabitants_from_1_january_2026():
    assert not ao.requires_rpe(10_001, datetime.date(2025, 12, 31))
    assert ao.requires_rpe(10_001, datetime.date(2026, 1, 1))
    assert not ao.requires_rpe(10_000, datetime.date(2026, 1, 1))
    assert ao.requires_multiyear_plan(10_001) and not ao.requires_multiyear_plan(10_000)
