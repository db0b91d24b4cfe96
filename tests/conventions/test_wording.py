import datetime

import pytest

from conventions.wording import (
    consolidation_notice,
    french_amount,
    french_date,
    french_number,
    join_french,
    number_in_words,
    representatives_agreement,
    with_a,
    with_de,
)

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("l'Isère", "de l'Isère"),
        ("les Yvelines", "des Yvelines"),
        ("le Nord", "du Nord"),
        ("le Var", "du Var"),
        ("Le Pradet", "du Pradet"),
        ("Armentières", "d'Armentières"),
        ("Aubergenville", "d'Aubergenville"),
        ("la Somme", "de la Somme"),
        ("Voiron", "de Voiron"),
        ("Les Mureaux", "des Mureaux"),
        ("La Londe-les-Maures", "de La Londe-les-Maures"),
        ("la commune d'Armentières", "de la commune d'Armentières"),
    ],
)
def test_de_contracts_with_the_article_of_the_name(name, expected):
    assert with_de(name) == expected


@pytest.mark.parametrize(
    ("civilities", "expected"),
    [
        (["Madame", "Madame"], "autorisées"),
        (["Madame", "Monsieur"], "autorisés"),
        (["Monsieur", "Monsieur"], "autorisés"),
        (["Madame"], "autorisée"),
        (["Monsieur"], "autorisé"),
    ],
)
def test_authorised_agrees_with_the_representatives(civilities, expected):
    assert representatives_agreement("autorisé", civilities) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2024, 1, 1), "1er janvier 2024"),
        (datetime.date(2027, 12, 31), "31 décembre 2027"),
        (datetime.date(2024, 8, 2), "2 août 2024"),
    ],
)
def test_dates_read_as_in_the_conventions(date, expected):
    assert french_date(date) == expected


def test_amounts_have_grouped_digits_a_decimal_comma_and_the_euro_sign():
    assert french_amount("1428395.63") == f"1{NNBSP}428{NNBSP}395,63\u00a0€"
    assert french_amount(12) == "12,00\u00a0€"


def test_numbers_print_the_decimals_they_have():
    assert french_number(24944) == f"24{NNBSP}944"
    assert french_number("68.4") == "68,4"
    assert french_number("12.345") == "12,35"
    assert french_number(-1500) == f"-1{NNBSP}500"


def test_small_counts_read_in_words_and_lists_end_with_et():
    assert number_in_words(7) == "sept"
    assert number_in_words(1) == "une"
    assert number_in_words(25) == "25"
    assert join_french(["a", "b", "c"]) == "a, b et c"
    assert join_french(["a"]) == "a"


@pytest.mark.parametrize(
    ("avenants", "notice"),
    [
        ([], ""),
        (
            [(1, datetime.date(2026, 3, 3))],
            "Version consolidée de la convention signée le 18 janvier 2023, intégrant l'avenant "
            "n°1 signé le 3 mars 2026",
        ),
        (
            [(1, datetime.date(2025, 3, 1)), (2, datetime.date(2026, 1, 12))],
            "Version consolidée de la convention signée le 18 janvier 2023, intégrant les avenants "
            "n°1 signé le 1er mars 2025 et n°2 signé le 12 janvier 2026",
        ),
    ],
    ids=["no avenant: no notice", "one avenant", "two avenants in one list"],
)
def test_a_consolidated_text_names_its_signature_and_each_avenant_with_its_date(avenants, notice):
    assert consolidation_notice(datetime.date(2023, 1, 18), avenants) == notice


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Convention territoriale globale de Voiron", "à la convention territoriale globale de Voiron"),
        ("CTG Grand Paris Seine et Oise 2026-2030", "à la CTG Grand Paris Seine et Oise 2026-2030"),
        ("Acte d'engagement dans la démarche CTG", "à l'acte d'engagement dans la démarche CTG"),
    ],
)
def test_a_title_follows_a_or_a_l_and_keeps_an_acronym(title, expected):
    assert with_a(title) == expected
