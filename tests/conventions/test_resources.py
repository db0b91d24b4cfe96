"""The admin's import and export file of équipements, headed in French."""

import pytest

from conventions.models import Equipment
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
