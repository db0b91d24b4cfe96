"""The admin's import and export file of fiches actions: headed in French, and an exported file,
edited, imports back."""

import pytest

from conventions.models import Convention, ConventionStatus
from plans.models import ActionSheet
from plans.resources import ActionSheetResource
from tests.spreadsheets import edited

pytestmark = pytest.mark.django_db


def test_the_fiches_actions_file_is_headed_in_french_and_imports_back_edited(nord_convention):
    fiches = ActionSheet.objects.filter(axis__convention=nord_convention).order_by("pk")
    exported = ActionSheetResource().export(fiches)
    assert exported.headers[:5] == ["Identifiant", "Convention", "Axe", "Ordre", "Intitulé de l'action"]
    assert "Public cible" in exported.headers

    result = ActionSheetResource().import_data(
        edited(exported, "Public cible", "Familles monoparentales"), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert set(fiches.values_list("target_public", flat=True)) == {"Familles monoparentales"}


def test_a_file_exported_whole_imports_back_with_a_signed_conventions_fiches_left_as_they_were(demo):
    signed, draft = demo["nord-armentieres-2023"], demo["yvelines-aubergenville-2024"]
    Convention.objects.filter(pk=signed.pk).update(status=ConventionStatus.SIGNED)
    fiches = ActionSheet.objects.filter(axis__convention__in=[signed, draft]).order_by("pk")
    exported = ActionSheetResource().export(fiches)
    changed = ActionSheet.objects.filter(axis__convention=draft).order_by("pk").first()

    result = ActionSheetResource().import_data(
        edited(exported, "Public cible", "Familles monoparentales", only_row_of=changed.pk), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    changed.refresh_from_db()
    assert changed.target_public == "Familles monoparentales"


def test_a_text_beginning_with_a_dash_imports_back_without_the_export_s_apostrophe(nord_convention):
    fiche = ActionSheet.objects.filter(axis__convention=nord_convention).order_by("pk").first()
    fiche.target_public = "- Familles\n- Jeunes"
    fiche.expected_results = "'- cité tel quel"
    fiche.save()
    exported = ActionSheetResource().export(ActionSheet.objects.filter(pk=fiche.pk))
    assert exported[0][exported.headers.index("Public cible")] == "'- Familles\n- Jeunes"  # no formula

    result = ActionSheetResource().import_data(exported, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    fiche.refresh_from_db()
    assert (fiche.target_public, fiche.expected_results) == ("- Familles\n- Jeunes", "'- cité tel quel")
