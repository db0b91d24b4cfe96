"""The admin's import and export file of fiches actions: headed in French, and an exported file,
edited, imports back."""

import pytest
import tablib

from plans.models import ActionSheet
from plans.resources import ActionSheetResource

pytestmark = pytest.mark.django_db


def test_the_fiches_actions_file_is_headed_in_french_and_imports_back_edited(nord_convention):
    fiches = ActionSheet.objects.filter(axis__convention=nord_convention).order_by("pk")
    exported = ActionSheetResource().export(fiches)
    assert exported.headers[:5] == ["Identifiant", "Convention", "Axe", "Ordre", "Intitulé de l'action"]
    assert "Public cible" in exported.headers

    edited = tablib.Dataset(headers=exported.headers)
    for row in exported:
        row = list(row)
        row[exported.headers.index("Public cible")] = "Familles monoparentales"
        edited.append(row)
    result = ActionSheetResource().import_data(edited, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert set(fiches.values_list("target_public", flat=True)) == {"Familles monoparentales"}
