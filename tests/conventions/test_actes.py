import datetime

from conventions.actes import parse_actes_identifier


def test_a_nord_identifier_is_read():
    identifier = parse_actes_identifier("059-215900176-20230209-DE23027-DE")
    assert identifier.department == "059"
    assert identifier.siren == "215900176"
    assert identifier.date == datetime.date(2023, 2, 9)
    assert identifier.number == "DE23027"
    assert identifier.nature == "DE"


def test_an_identifier_inside_a_file_name_is_read():
    identifier = parse_actes_identifier("99_DE-078-217800291-20241211-DEL24_081-DE-1-1_1.pdf")
    assert identifier.number == "DEL24_081"
    assert identifier.date == datetime.date(2024, 12, 11)


def test_malformed_identifiers_are_refused():
    assert parse_actes_identifier("059-21590017-20230209-DE23027-DE") is None  # 8-digit SIREN
    assert parse_actes_identifier("059-215900176-20230230-DE23027-DE") is None  # 30 February
    assert parse_actes_identifier("059-215900176-20230209-DE23027-XX") is None  # unknown nature
