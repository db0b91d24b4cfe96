"""Searching collectivités and conventions whatever the case, accents and apostrophes typed, the
same on SQLite and PostgreSQL: the normalised search text, kept up to date by every way of writing
a record (save, bulk creation, fixtures, the migration for the records saved before it)."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from conventions.models import Collectivite, CollectiviteKind, Convention, SignatoryRepresentative
from conventions.searching import normalize_for_search
from tests.conventions.factories import (
    CafFactory,
    CafRepresentativeFactory,
    CollectiviteFactory,
    ConventionFactory,
    SignatoryRepresentativeFactory,
)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Armentières", "armentieres"),
        ("LE PRADET", "le pradet"),
        ("l'Isère", "l isere"),
        ("l’Isère", "l isere"),
        ("Saint-Étienne-de-Crossey", "saint etienne de crossey"),
        ("  Cœuvres-et-Valsery  ", "coeuvres et valsery"),
        ("nord-armentieres-2023", "nord armentieres 2023"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_for_search_folds_case_accents_and_punctuation(text, normalised):
    assert normalize_for_search(text) == normalised


# Collectivités


def names_found(typed):
    return [collectivite.name for collectivite in Collectivite.objects.search(typed)]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        pytest.param("armentieres", "Armentières", id="without its accent"),
        pytest.param("ARMENTIÈRES", "Armentières", id="in capitals"),
        pytest.param("le pradet", "Le Pradet", id="in lower case"),
        pytest.param("LE PRADET", "Le Pradet", id="in upper case"),
        pytest.param("Pradet", "Le Pradet", id="without its article"),
        pytest.param("Isere", "l'Isère", id="a département without its article and accent"),
        pytest.param("l isere", "l'Isère", id="a space for the apostrophe"),
        pytest.param("londe les maures", "La Londe-les-Maures", id="spaces for the hyphens"),
        pytest.param("collobrieres", "Collobrières", id="a commune of the national demo"),
    ],
)
def test_a_collectivite_is_found_whatever_the_case_and_accents(demo, typed, name):
    assert names_found(typed) == [name]


def test_a_collectivite_is_still_found_by_insee_code_or_siren(demo):
    corsican = CollectiviteFactory(name="Ajaccio", insee_code="2A004")
    epci = CollectiviteFactory(epci=True, name="Communauté d'agglomération du Pays Ajaccien", siren="200066744")

    assert list(Collectivite.objects.search("59017")) == [Collectivite.objects.get(name="Armentières")]
    assert list(Collectivite.objects.search("2a004")) == [corsican]
    assert list(Collectivite.objects.search("200066744")) == [epci]


def test_a_renamed_collectivite_is_found_by_its_new_name(db):
    collectivite = CollectiviteFactory(name="Villeneuve")
    collectivite.name = "Évry-Courcouronnes"
    collectivite.save(update_fields=["name"])

    assert names_found("evry courcouronnes") == ["Évry-Courcouronnes"]
    assert names_found("villeneuve") == []


def test_collectivites_created_in_bulk_are_found(db):
    Collectivite.objects.bulk_create(
        [Collectivite(kind=CollectiviteKind.COMMUNE, name="Hénin-Beaumont", insee_code="62427")]
    )

    assert names_found("henin beaumont") == ["Hénin-Beaumont"]


def test_collectivites_loaded_from_a_fixture_are_found(db, tmp_path):
    """`loaddata` saves raw, without calling save(): the search text is filled all the same, even
    when the fixture carries a stale one."""
    fixture = tmp_path / "communes.json"
    record = {"kind": "commune", "name": "Pérenchies", "insee_code": "59457", "search_text": "ancien nom"}
    fixture.write_text(json.dumps([{"model": "conventions.collectivite", "fields": record}]), encoding="utf-8")

    call_command("loaddata", str(fixture), verbosity=0)

    assert names_found("perenchies") == ["Pérenchies"]
    assert names_found("ancien nom") == []


# Conventions


def references_found(typed):
    return sorted(convention.reference for convention in Convention.objects.search(typed))


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        pytest.param("armentieres", "nord-armentieres-2023", id="a signing commune without its accent"),
        pytest.param("LE PRADET", "var-le-pradet-2022", id="a signing commune in capitals"),
        pytest.param("Isere", "isere-demo", id="a signing département without its accent"),
        pytest.param("nord armentieres", "nord-armentieres-2023", id="the reference with spaces"),
        pytest.param(" 59017 ", "nord-armentieres-2023", id="a signing commune's INSEE code"),
        pytest.param("215900176", "nord-armentieres-2023", id="a signing commune's SIREN"),
    ],
)
def test_a_convention_is_found_whatever_the_case_and_accents(demo, typed, reference):
    assert references_found(typed) == [reference]


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("Hélène ROUSSEL", id="as written"),
        pytest.param("helene roussel", id="without accent nor capitals"),
        pytest.param("ROUSSEL", id="by the last name"),
    ],
)
def test_a_convention_is_found_by_a_representative_of_a_signatory(demo, typed):
    assert references_found(typed) == ["national-2025-demo"]


def test_a_convention_is_found_by_the_name_of_a_representative_added_later(db):
    representative = SignatoryRepresentativeFactory(first_name="Zoé", last_name="LEFÈVRE")

    assert references_found("zoe lefevre") == [representative.signatory.convention.reference]


def test_a_convention_is_found_by_the_caf_representatives_copied_to_it(db):
    """The Caf's representatives are copied to the convention in bulk (Convention.add_signatory)."""
    caf = CafFactory()
    CafRepresentativeFactory(caf=caf, first_name="Jérôme", last_name="MÉNARD")
    convention = ConventionFactory(caf=caf, title="Convention territoriale globale de Menton")
    convention.add_signatory(caf=caf)

    assert references_found("jerome menard") == [convention.reference]


def test_a_convention_is_found_by_its_title_and_territory_without_accents(db):
    convention = ConventionFactory(title="CTG de Sète 2025-2028", territory="la commune de Frontignan-la-Peyrade")

    assert references_found("sete") == [convention.reference]
    assert references_found("FRONTIGNAN LA PEYRADE") == [convention.reference]


# The migration that filled the records saved before the column existed


def test_the_migration_fills_the_search_text_of_existing_records(demo):
    migration = importlib.import_module("conventions.migrations.0013_search_text")
    Collectivite.objects.update(search_text="")
    Convention.objects.update(search_text="")
    SignatoryRepresentative.objects.update(search_text="")

    migration.fill_search_text(apps, schema_editor=None)

    assert Collectivite.objects.get(name="l'Isère").search_text == "l isere"
    assert Convention.objects.get(reference="nord-armentieres-2023").search_text.startswith("nord armentieres 2023 ")
    assert SignatoryRepresentative.objects.filter(search_text="helene roussel").exists()
    assert not Collectivite.objects.filter(search_text="").exists()
