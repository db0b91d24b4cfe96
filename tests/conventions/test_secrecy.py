import pytest

from conventions.secrecy import is_secret


@pytest.mark.parametrize(
    ("value", "zone_allocataires", "blanked"),
    [
        (250, 99, True),  # a zone under 100 allocataires is blanked whatever the value
        (250, 100, False),  # 100 allocataires is enough
        (0, 99, True),
        (4, 500, True),  # below 5 and not 0
        (1, 500, True),
        (5, 500, False),
        (0, 500, False),  # zero is always printable
        (4, None, True),  # the small-value rule applies to any figure
        (250, None, False),
    ],
)
def test_statistical_secrecy_blanks_small_zones_and_small_values(value, zone_allocataires, blanked):
    assert is_secret(value, zone_allocataires) is blanked
