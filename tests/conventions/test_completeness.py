"""The completeness report: what still stands between a convention and its signature, in French."""

import datetime

import pytest
from django.urls import reverse

from conventions.completeness import Missing, completeness_report
from conventions.models import Convention
from conventions.rendering.output import render_convention

DEMO_REFERENCES = [
    "isere-demo",
    "national-2025-demo",
    "nord-armentieres-2023",
    "var-le-pradet-2022",
    "yvelines-aubergenville-2024",
]


def append_to_article(convention, key, text):
    article = convention.articles.get(key=key)
    article.text = f"{article.text.rstrip()}\n\n{text}\n"
    article.save()
    return article


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_each_demo_convention_is_complete(demo, reference):
    assert completeness_report(demo[reference]) == []


def test_a_placeholder_left_in_an_article_is_reported_with_the_article_title(nord_convention):
    append_to_article(nord_convention, "objet", "Historique du partenariat : {{ historique_partenariat }}.")

    assert completeness_report(nord_convention) == [
        Missing(
            "objet", "Article « OBJET DE LA CTG » : « {{ historique_partenariat }} » est à remplacer par votre texte."
        ),
    ]


def test_a_leftover_xxx_in_an_article_is_reported(nord_convention):
    append_to_article(nord_convention, "objet", "Le comité de pilotage se réunit XXX fois par an.")

    assert completeness_report(nord_convention) == [
        Missing("objet", "Article « OBJET DE LA CTG » : texte à compléter (« XXX », « … ») restant."),
    ]


def test_an_article_the_caf_left_empty_is_reported(nord_convention):
    article = nord_convention.articles.filter(editable=True, numbered=True).order_by("position").first()
    article.text = ""
    article.save()

    assert Missing(article.key, f"Article « {article.title} » : texte vide.") in completeness_report(nord_convention)


def test_a_required_annex_without_text_or_rows_is_reported(nord_convention):
    annex = nord_convention.annexes.get(key="pilotage")
    assert annex.required
    annex.text = ""
    annex.save()
    nord_convention.steering_bodies.all().delete()

    assert completeness_report(nord_convention) == [
        Missing(
            "pilotage",
            "Annexe « MODALITÉS DE PILOTAGE STRATÉGIQUE ET OPÉRATIONNEL ET SUIVI DE LA CTG » : "
            "vide alors qu'elle est obligatoire.",
        ),
    ]


def test_a_required_annex_whose_only_text_sits_in_a_switched_off_option_block_is_reported(demo):
    convention = demo["isere-demo"]
    assert convention.options["pole_emploi"] is False
    annex = convention.annexes.get(key="evaluation")
    assert annex.required
    annex.text = "::: if pole_emploi\nL'évaluation associe France Travail.\n:::\n"
    annex.save()

    assert completeness_report(convention) == [
        Missing("evaluation", f"Annexe « {annex.title} » : vide alors qu'elle est obligatoire."),
    ]


@pytest.mark.parametrize("reference", ["national-2025-demo", "isere-demo"])
def test_a_plan_d_actions_without_any_fiche_action_is_reported_whatever_its_text(demo, reference):
    convention = demo[reference]
    annex = convention.annexes.get(key="plan_actions")
    annex.text = "Les fiches actions ci-dessous déclinent les objectifs partagés."
    annex.save()
    for axis in convention.axes.all():
        axis.actions.all().delete()

    assert Missing("plan_actions", f"Annexe « {annex} » : vide alors qu'elle est obligatoire.") in (
        completeness_report(convention)
    )


def test_an_equipements_annex_without_any_equipement_is_reported_whatever_its_text(demo):
    convention = demo["national-2025-demo"]
    annex = convention.annexes.get(key="equipements")
    annex.text = "Les équipements et services soutenus par la collectivité :"
    annex.save()
    convention.equipments.all().delete()

    assert Missing("equipements", f"Annexe « {annex} » : vide alors qu'elle est obligatoire.") in (
        completeness_report(convention)
    )


@pytest.mark.parametrize(("hypothesis", "reported"), [("first", False), ("second", True)])
def test_the_yvelines_plan_d_actions_may_wait_for_an_avenant_with_the_first_hypothesis(demo, hypothesis, reported):
    """Yvelines model, 1st hypothesis: the diagnostic is still running and the plan d'actions is
    attached to the convention later, by avenant."""
    convention = demo["yvelines-aubergenville-2024"]
    convention.options = {**convention.options, "hypothesis": hypothesis}
    convention.save()
    for axis in convention.axes.all():
        axis.actions.all().delete()

    keys = [item.where for item in completeness_report(convention)]

    assert ("plan_actions" in keys) is reported


def test_a_required_annex_with_rows_but_no_text_is_not_reported(nord_convention):
    annex = nord_convention.annexes.get(key="pilotage")
    annex.text = ""
    annex.save()
    assert nord_convention.steering_bodies.exists()

    assert completeness_report(nord_convention) == []


def test_an_empty_ao_table_is_reported_on_a_model_that_has_one(national_convention):
    national_convention.ao_competences.all().delete()

    assert completeness_report(national_convention) == [
        Missing(
            "ao_table",
            "Tableau des autorités organisatrices : vide, les compétences obligatoires des communes n'y sont pas.",
        ),
    ]


def test_the_convention_page_links_a_missing_ao_table_to_the_ao_table(client, superuser, national_convention):
    national_convention.ao_competences.all().delete()
    client.force_login(superuser)

    page = client.get(reverse("convention_edit", args=[national_convention.pk])).content.decode()

    assert "Rien ne manque" not in page
    assert f'<a href="{reverse("ao_table", args=[national_convention.pk])}">Tableau des autorités' in page


def test_a_mandatory_competence_missing_from_the_ao_table_is_reported(national_convention):
    national_convention.ao_competences.filter(
        collectivite__name="Bormes-les-Mimosas", competence="planification"
    ).delete()

    assert completeness_report(national_convention) == [
        Missing(
            "ao_table",
            "Tableau des autorités organisatrices : Bormes-les-Mimosas (7\u202f968 habitants) : la compétence "
            "« Planifier le développement des modes d'accueil » est obligatoire (exercée par la commune ou "
            "transférée à l'EPCI).",
        ),
    ]


@pytest.mark.parametrize(
    ("party", "name"),
    [
        pytest.param({"caf__isnull": False}, "Caf du Nord", id="the Caf"),
        pytest.param({"collectivite__isnull": False}, "Armentières", id="the commune"),
    ],
)
def test_a_signatory_without_representative_is_reported(nord_convention, party, name):
    nord_convention.signatories.get(**party).representatives.all().delete()

    assert completeness_report(nord_convention) == [
        Missing("signatories", f"Signataire « {name} » sans représentant."),
    ]


def test_a_collectivite_signatory_without_deliberation_is_reported(nord_convention):
    nord_convention.deliberations.all().delete()

    assert completeness_report(nord_convention) == [
        Missing("deliberations", "« Armentières » : aucune délibération enregistrée."),
    ]


@pytest.mark.parametrize(
    ("reference", "end_date", "latest"),
    [
        pytest.param(
            "nord-armentieres-2023",
            datetime.date(2028, 1, 1),
            "31 décembre 2027",
            id="a CTG ending after 31 December of its start year + 4",
        ),
        pytest.param(
            "var-le-pradet-2022",
            datetime.date(2023, 1, 1),
            "31 décembre 2022",
            id="an acte d'engagement lasting more than one year",
        ),
    ],
)
def test_an_end_date_breaking_the_duration_rule_is_reported_with_the_latest_date(demo, reference, end_date, latest):
    Convention.objects.filter(reference=reference).update(end_date=end_date)
    convention = Convention.objects.get(reference=reference)

    [missing] = completeness_report(convention)

    assert missing.where == "end_date"
    assert missing.message.startswith("Règle de durée : ")
    assert missing.message.endswith(f"la date de fin doit être au plus tard le {latest}.")


@pytest.mark.parametrize(
    ("reference", "block", "reported"),
    [
        pytest.param("isere-demo", "::: if pole_emploi", False, id="a yes-no option switched off hides its gap"),
        pytest.param("isere-demo", "::: if departement", True, id="a yes-no option switched on shows its gap"),
        pytest.param(
            "yvelines-aubergenville-2024",
            "::: if hypothesis=first",
            False,
            id="a wording not chosen hides its gap",
        ),
        pytest.param(
            "yvelines-aubergenville-2024",
            "::: if hypothesis=second",
            True,
            id="the wording chosen shows its gap",
        ),
    ],
)
def test_a_gap_inside_an_option_block_is_reported_only_when_the_block_is_printed(demo, reference, block, reported):
    convention = demo[reference]
    article = append_to_article(
        convention, "objet", f"{block}\nHistorique du partenariat : {{{{ historique_partenariat }}}}.\n:::"
    )

    expected = [
        Missing(
            "objet",
            f"Article « {article.title} » : « {{{{ historique_partenariat }}}} » est à remplacer par votre texte.",
        )
    ]
    assert completeness_report(convention) == (expected if reported else [])


def test_an_empty_signature_date_is_not_reported(nord_convention):
    assert "{{ date_signature }}" in nord_convention.articles.get(key="signatures").text
    Convention.objects.filter(pk=nord_convention.pk).update(signature_date=None)
    nord_convention.refresh_from_db()

    assert completeness_report(nord_convention) == []


def test_an_empty_signature_place_is_reported_once_at_its_field(nord_convention):
    Convention.objects.filter(pk=nord_convention.pk).update(signature_place="")
    nord_convention.refresh_from_db()

    assert completeness_report(nord_convention) == [
        Missing("signature_place", "Champ « lieu de signature » vide."),
    ]


def test_a_placeholder_drawn_from_a_missing_signatory_says_where_to_add_it(nord_convention):
    append_to_article(nord_convention, "objet", "Sur le territoire {{ de_collectivite }}.")
    nord_convention.signatories.filter(collectivite__isnull=False).delete()

    messages = [missing.message for missing in completeness_report(nord_convention)]

    assert (
        "Article « OBJET DE LA CTG » : « {{ de_collectivite }} » attend une collectivité signataire "
        "(rubrique Signataires)." in messages
    )


def test_a_placeholder_nothing_fills_is_reported_whatever_its_case_or_spaces(demo):
    convention = demo["nord-armentieres-2023"]
    article = append_to_article(convention, "objet", "Signé par {{ Nom du maire }} pour {{ Collectivite }}.")

    messages = [missing.message for missing in completeness_report(convention)]

    assert messages == [f"Article « {article} » : « {{{{ nom du maire }}}} » est à remplacer par votre texte."]


def test_the_visa_of_the_collectivites_deliberation_takes_its_date_from_the_deliberations_annex(nord_convention):
    """The Nord model's visa « Conseil Municipal, en date du {{ date_deliberation_collectivite }} »:
    the date of Armentières' délibération recorded in the annex (09/02/2023 in the seed)."""
    append_to_article(nord_convention, "visas", "Vu la délibération du {{ date_deliberation_collectivite }}.")

    html = render_convention(nord_convention, use_cache=False).html

    assert "Vu la délibération du 9 février 2023." in html
    assert completeness_report(nord_convention) == []


def test_without_a_deliberation_the_visa_says_where_its_date_comes_from(nord_convention):
    append_to_article(nord_convention, "visas", "Vu la délibération du {{ date_deliberation_collectivite }}.")
    nord_convention.deliberations.all().delete()

    messages = [missing.message for missing in completeness_report(nord_convention)]

    assert (
        "Article « visas » : « {{ date_deliberation_collectivite }} » attend la délibération de la 1re collectivité "
        "signataire (annexe des délibérations)."
    ) in messages
