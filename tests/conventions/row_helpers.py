"""Rows of the annex tables as their forms post them: an équipement, a délibération with its PDF."""

from conventions.models import Collectivite, Equipment


def equipment_data(**changes):
    data = {
        "equipements-structure_type": "mam",
        "equipements-name": "MAM Les Petits Pas",
        "equipements-address": "12 rue des Écoles, Collobrières",
        "equipements-manager": "Association Les Petits Pas",
        "equipements-capacity": "12 places",
    }
    return data | changes


def last_equipment(convention):
    return Equipment.objects.filter(convention=convention).order_by("position", "pk").last()


def deliberation_data(upload):
    return {
        "deliberations-collectivite": Collectivite.objects.get(insee_code="59017").pk,
        "deliberations-number": "DE2025-012",
        "deliberations-date": "2025-03-12",
        "deliberations-file": upload,
    }
