"""The 2025 national model lists the équipements « un tableau par collectivité locale signataire »:
each équipement may name the signatory collectivité it belongs to, and the annex prints a table
for each, headed by its name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from conventions.models import Collectivite, Equipment
from conventions.rendering.output import render_convention
from tests.conventions.rendering_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_form_offers_the_conventions_signatory_collectivites_only(client, var_caf_staff, national_convention):
    client.force_login(var_caf_staff)
    annex = national_convention.annexes.get(key="equipements")

    page = client.get(reverse("annex_edit", args=[national_convention.pk, annex.pk])).content.decode()

    assert "Toutes (non précisée)" in page
    for collectivite in national_convention.collectivites():
        assert f">{collectivite}</option>" in page
    assert ">Armentières</option>" not in page


def test_an_equipement_is_saved_with_its_collectivite(client, var_caf_staff, national_convention):
    client.force_login(var_caf_staff)
    bormes = Collectivite.objects.get(name="Bormes-les-Mimosas")
    data = {
        "equipements-collectivite": bormes.pk,
        "equipements-structure_type": "laep",
        "equipements-name": "LAEP du Pin",
        "equipements-address": "",
        "equipements-manager": "",
        "equipements-capacity": "",
    }

    client.post(reverse("row_add", args=[national_convention.pk, "equipements"]), data)

    assert Equipment.objects.get(convention=national_convention, name="LAEP du Pin").collectivite == bormes


def test_the_annex_prints_a_table_per_collectivite_headed_by_its_name(national_convention):
    national_convention.equipments.update(collectivite=None)
    bormes = Collectivite.objects.get(name="Bormes-les-Mimosas")
    lavandou = Collectivite.objects.get(name="Le Lavandou")
    national_convention.equipments.filter(name__contains="Bormes").update(collectivite=bormes)
    national_convention.equipments.filter(name__contains="Lavandou").update(collectivite=lavandou)

    output = render_convention(national_convention, use_cache=False)
    text = pdf_text(output.pdf, national_convention.title)
    annex = text[text.index("BORMES-LES-MIMOSAS") :]
    assert "LE LAVANDOU" in annex
    text, annex = output.html, output.html[output.html.index("BORMES-LES-MIMOSAS") :]

    # The équipements of no collectivité in particular first, then one table per collectivité in
    # the signatories' order.
    assert text.index("Multi-accueil municipal de La Londe-les-Maures") < text.index("BORMES-LES-MIMOSAS")
    assert annex.index("Multi-accueil de Bormes-les-Mimosas") < annex.index("LE LAVANDOU")
    assert annex.index("LE LAVANDOU") < annex.index("Multi-accueil du Lavandou")


def test_without_any_collectivite_named_the_annex_prints_one_table_as_before(national_convention):
    national_convention.equipments.update(collectivite=None)

    output = render_convention(national_convention, use_cache=False)

    assert output.html.count('class="grid equipments"') == 1
    assert "equipments-of" not in output.html


def test_the_national_demo_lists_its_equipements_by_signatory_collectivite(national_convention):
    output = render_convention(national_convention, use_cache=False)

    captions = [
        caption
        for caption in ("COMMUNAUTÉ DE COMMUNES", "LA LONDE-LES-MAURES", "BORMES-LES-MIMOSAS", "LE LAVANDOU")
        if f'class="equipments-of">{caption}' in output.html
    ]
    assert len(captions) == 4


def test_an_equipement_cannot_be_filed_under_a_collectivite_that_does_not_sign(national_convention):
    armentieres = Collectivite.objects.get(name="Armentières")
    equipment = Equipment(convention=national_convention, structure_type="laep", name="LAEP", collectivite=armentieres)

    with pytest.raises(ValidationError) as refused:
        equipment.full_clean()

    assert refused.value.message_dict["collectivite"] == [
        "Armentières ne signe pas cette convention : choisissez une collectivité signataire."
    ]


def test_a_collectivite_that_stops_signing_leaves_its_equipements_in_the_annex_under_none(
    client, var_caf_staff, national_convention
):
    bormes = Collectivite.objects.get(name="Bormes-les-Mimosas")
    national_convention.equipments.update(collectivite=None)
    national_convention.equipments.filter(name__contains="Bormes").update(collectivite=bormes)
    listed = set(national_convention.equipments.filter(collectivite=bormes).values_list("pk", flat=True))
    national_convention.deliberations.filter(collectivite=bormes).delete()  # else it must go first
    signatory = national_convention.signatories.get(collectivite=bormes)
    remove = reverse("signatory_remove", args=[national_convention.pk, signatory.pk])
    client.force_login(var_caf_staff)

    asked = client.get(remove).content.decode()
    client.post(remove)

    assert listed and escape(f"Ses équipements ({len(listed)}) resteront dans l'annexe des équipements") in asked
    kept = national_convention.equipments.filter(pk__in=listed)
    assert kept.count() == len(listed) and not kept.filter(collectivite__isnull=False).exists()
    html = render_convention(national_convention, use_cache=False).html
    assert '<caption class="equipments-of">BORMES-LES-MIMOSAS</caption>' not in html
    assert "Multi-accueil de Bormes-les-Mimosas" in html
