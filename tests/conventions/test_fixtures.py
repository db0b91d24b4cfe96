"""The five models of the seeds and the five demo conventions, as loaded from fixtures/."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from conventions.models import AnnexTemplate, Caf, Convention, ConventionTemplate

pytestmark = pytest.mark.django_db

# DESIGN §3: numbered articles and annexes of each model.
MODEL_SHAPES = {
    "isere": (13, 6),
    "yvelines": (14, 7),
    "national-2025": (14, 5),
    "nord": (15, 4),
    "var-acte-engagement": (14, 4),
}


@pytest.mark.parametrize(("slug", "shape"), MODEL_SHAPES.items())
def test_each_model_has_the_articles_and_annexes_of_its_seed(slug, shape):
    template = ConventionTemplate.objects.get(slug=slug)
    numbered = template.articles.filter(numbered=True).count()
    assert (numbered, template.annexes.count()) == shape


def test_the_four_cafs_of_the_seeds_are_loaded_with_their_representatives():
    cafs = {caf.code: caf for caf in Caf.objects.prefetch_related("representatives")}
    assert {"38", "59", "78", "83"} <= set(cafs)
    assert str(cafs["38"]) == "Caf de l'Isère"
    assert str(cafs["78"]) == "Caf des Yvelines"
    assert str(cafs["59"]) == "Caf du Nord"
    assert str(cafs["83"]) == "Caf du Var"
    isere = [f"{person.first_name} {person.last_name}" for person in cafs["38"].representatives.all()]
    assert isere == ["Anne-Laure MALFATTO", "Florence DEVYNCK"]
    assert all(caf.representatives.exists() for caf in cafs.values())


def test_the_national_model_belongs_to_no_caf_and_the_var_model_is_an_acte_d_engagement():
    assert ConventionTemplate.objects.get(slug="national-2025").caf is None
    assert ConventionTemplate.objects.get(slug="var-acte-engagement").kind == "acte_engagement"


def test_no_model_text_keeps_a_leftover_placeholder():
    leftovers = ("XXX", "20XX", "20xx", "(…)", "(...)")
    for template in ConventionTemplate.objects.prefetch_related("articles", "annexes"):
        for section in [*template.articles.all(), *template.annexes.all()]:
            for leftover in leftovers:
                assert leftover not in section.text, f"{template.slug}/{section.key} keeps {leftover!r}"


def test_the_five_demo_conventions_are_loaded():
    references = set(Convention.objects.values_list("reference", flat=True))
    assert {
        "isere-demo",
        "yvelines-aubergenville-2024",
        "national-2025-demo",
        "nord-armentieres-2023",
        "var-le-pradet-2022",
    } <= references


def test_aubergenville_has_its_deliberation_and_its_four_axis_plan(demo):
    convention = demo["yvelines-aubergenville-2024"]
    assert (convention.start_date, convention.end_date) == (datetime.date(2024, 1, 1), datetime.date(2027, 12, 31))
    deliberation = convention.deliberations.get()
    assert deliberation.number == "DEL24_081"
    assert deliberation.date == datetime.date(2024, 12, 11)
    assert convention.axes.count() == 4
    assert all(axis.actions.exists() for axis in convention.axes.all())


def test_armentieres_has_the_figures_of_its_article_2(demo):
    convention = demo["nord-armentieres-2023"]
    assert (convention.start_date, convention.end_date) == (datetime.date(2023, 1, 1), datetime.date(2026, 12, 31))
    assert {"habitants", "allocataires", "financement_caf"} <= set(convention.figures.values_list("key", flat=True))


def test_le_pradet_has_its_four_equipments(demo):
    convention = demo["var-le-pradet-2022"]
    assert convention.template.kind == "acte_engagement"
    assert convention.equipments.count() == 4


def test_the_national_demo_straddles_the_ao_thresholds(demo):
    convention = demo["national-2025-demo"]
    populations = [
        signatory.collectivite.population
        for signatory in convention.signatories.filter(collectivite__kind="commune").select_related("collectivite")
    ]
    assert len(populations) == 4
    assert any(p <= 3_500 for p in populations)
    assert any(3_500 < p <= 10_000 for p in populations)
    assert any(p > 10_000 for p in populations)
    assert convention.signatories.filter(collectivite__kind="epci").exists()
    assert convention.ao_competences.exists()


def test_every_demo_convention_copies_its_model_and_respects_the_duration_rule(demo):
    for convention in demo.values():
        convention.full_clean()
        template = convention.template
        assert list(convention.articles.values_list("key", flat=True)) == list(
            template.articles.values_list("key", flat=True)
        )
        assert list(convention.annexes.values_list("key", flat=True)) == list(
            template.annexes.values_list("key", flat=True)
        )
        assert all(signatory.representatives.exists() for signatory in convention.signatories.all())


def test_loading_again_changes_nothing():
    before = (ConventionTemplate.objects.count(), Convention.objects.count(), Caf.objects.count())
    call_command("load_models", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert (ConventionTemplate.objects.count(), Convention.objects.count(), Caf.objects.count()) == before


@pytest.mark.parametrize(("reference", "years"), [("isere-demo", "2025-2028"), ("national-2025-demo", "2025-2029")])
def test_the_plan_d_actions_annex_is_titled_with_the_convention_s_years_as_in_its_seed(reference, years):
    """Isère and national 2025 seeds: « Plan d’actions 20xx-20xx - Moyens mobilisés … »; the editing
    pages show the title as printed, never the placeholders."""
    annex = Convention.objects.get(reference=reference).annexes.get(key="plan_actions")
    assert annex.title.startswith("Plan d’actions {{ annee_debut }}-{{ annee_fin }} - Moyens mobilisés")
    assert annex.display_title.startswith(f"Plan d’actions {years} - Moyens mobilisés")
    assert str(annex) == annex.display_title


def test_loading_again_keeps_what_a_caf_administrator_set(demo):
    isere = demo["isere-demo"]
    caf = isere.caf
    caf.signature_place = "Voiron"
    caf.save()
    director = caf.representatives.order_by("position").last()
    director.last_name = "NOUVELLE"
    director.save()
    isere.template.options.filter(key="msa").update(label="La MSA cofinance", guidance="À cocher si…", default=True)

    call_command("load_models", stdout=StringIO())

    caf.refresh_from_db()
    assert caf.signature_place == "Voiron"
    assert "NOUVELLE" in [person.last_name for person in caf.representatives.all()]
    msa = isere.template.options.get(key="msa")
    assert (msa.label, msa.guidance, msa.default) == ("La MSA cofinance", "À cocher si…", True)


def test_loading_the_models_again_leaves_the_conventions_their_models_guidance(demo):
    """A release loads the models again (deploy/README.md): the conventions users made keep the link
    from each article and annex to the model's, whose guidance their editing pages show."""
    convention = demo["yvelines-aubergenville-2024"]
    annex = convention.annexes.get(key="plan_actions")
    guidance = annex.guidance
    assert guidance

    call_command("load_models", stdout=StringIO())

    annex.refresh_from_db()
    assert annex.template_id is not None
    assert annex.guidance == guidance
    assert all(article.template_id for article in convention.articles.all())


def test_loading_the_models_again_relinks_what_an_earlier_load_unlinked(demo):
    convention = demo["isere-demo"]
    convention.annexes.update(template=None)
    convention.articles.update(template=None)

    call_command("load_models", stdout=StringIO())

    assert not convention.annexes.filter(template=None).exists()
    assert not convention.articles.filter(template=None).exists()
    assert convention.annexes.get(key="plan_actions").guidance


def test_a_section_flag_the_fixture_leaves_out_takes_its_fields_default():
    """Only the Yvelines plan d'actions may stay empty (with the 1st hypothesis); every other annex
    of the models is left without the flag, and so without a condition."""
    assert set(AnnexTemplate.objects.values_list("optional_with", flat=True)) == {"", "hypothesis=first"}
    assert AnnexTemplate.objects.get(template__slug="yvelines", key="plan_actions").optional_with == "hypothesis=first"
