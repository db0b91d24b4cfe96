"""The admin's import and export file of équipements: headed in French, structure types written
as people read them, and an exported file, edited, imports back."""

import pytest

from conventions.models import Convention, ConventionStatus, Equipment, StructureType
from conventions.resources import EquipmentResource
from tests.spreadsheets import edited

pytestmark = pytest.mark.django_db


def test_the_equipments_file_is_headed_in_french(nord_convention):
    exported = EquipmentResource().export(Equipment.objects.filter(convention=nord_convention))

    assert exported.headers == [
        "Identifiant",
        "Convention",
        "Ordre",
        "Type de structure",
        "Nom",
        "Adresse",
        "Gestionnaire",
        "Capacité",
    ]


@pytest.fixture
def equipments(demo):
    """Le Pradet's four équipements."""
    return Equipment.objects.filter(convention=demo["var-le-pradet-2022"]).order_by("pk")


def test_the_equipments_file_writes_each_structure_type_by_its_label(equipments):
    exported = EquipmentResource().export(equipments)

    assert exported["Type de structure"] == [
        "Établissement d'accueil du jeune enfant (EAJE)",
        "Accueil de loisirs sans hébergement (ALSH)",
        "Accueil de loisirs sans hébergement (ALSH)",
        "Ludothèque",
    ]


def test_an_exported_equipments_file_edited_imports_back(equipments):
    exported = EquipmentResource().export(equipments)

    result = EquipmentResource().import_data(edited(exported, "Type de structure", "laep"), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert set(equipments.values_list("structure_type", flat=True)) == {StructureType.LAEP}


def test_a_file_exported_whole_imports_back_with_a_signed_conventions_equipments_left_as_they_were(demo):
    signed, draft = demo["var-le-pradet-2022"], demo["yvelines-aubergenville-2024"]
    Convention.objects.filter(pk=signed.pk).update(status=ConventionStatus.SIGNED)
    exported = EquipmentResource().export(Equipment.objects.filter(convention__in=[signed, draft]).order_by("pk"))
    changed = Equipment.objects.filter(convention=draft).order_by("pk").first()

    result = EquipmentResource().import_data(
        edited(exported, "Gestionnaire", "Commune d'Aubergenville", only_row_of=changed.pk), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    changed.refresh_from_db()
    assert changed.manager == "Commune d'Aubergenville"
