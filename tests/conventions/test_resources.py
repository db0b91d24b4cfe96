"""The admin's import and export file of équipements: headed in French, structure types written
as people read them, and an exported file, edited, imports back."""

import pytest
import tablib

from conventions.models import Equipment, StructureType
from conventions.resources import EquipmentResource

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
    edited = tablib.Dataset(headers=exported.headers)
    for row in exported:
        row = list(row)
        row[exported.headers.index("Type de structure")] = "laep"
        edited.append(row)

    result = EquipmentResource().import_data(edited, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert set(equipments.values_list("structure_type", flat=True)) == {StructureType.LAEP}
