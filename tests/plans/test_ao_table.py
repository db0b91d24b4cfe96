import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.models import Collectivite, Role
from plans import ao
from plans.models import AOCompetence, prefill_ao_table
from tests.conventions.factories import CollectiviteFactory, SignatoryFactory, UserFactory

COMMUNES = {1: ("Petiteville", 3_500), 2: ("Moyenneville", 3_501), 3: ("Grandeville", 10_001)}


def rows(commune_id, *codes):
    return [(commune_id, code) for code in codes]


@pytest.mark.parametrize(
    ("table", "breaches"),
    [
        (rows(1, "recensement", "information"), 0),
        (rows(1, "recensement"), 1),
        (rows(2, "recensement", "information"), 1),  # 3 501 inhabitants must plan
        (rows(2, "recensement", "information", "planification"), 0),
        (rows(3, "recensement", "information", "planification"), 1),  # above 10 000: quality too
        (rows(3, "recensement", "information", "planification", "qualite"), 0),
    ],
    ids=[
        "3 500 inhabitants: the two basic competences suffice",
        "a basic competence left out",
        "3 501 inhabitants without planning",
        "3 501 inhabitants with planning",
        "10 001 inhabitants without quality",
        "10 001 inhabitants with all four",
    ],
)
def test_an_ao_table_keeps_the_population_rules(table, breaches):
    [(commune_id, _competence), *_rest] = table
    assert len(ao.table_breaches(table, {commune_id: COMMUNES[commune_id]})) == breaches


def test_a_signatory_commune_without_any_line_lacks_all_its_mandatory_competences():
    messages = ao.table_breaches(rows(1, "recensement", "information"), COMMUNES)

    assert len(messages) == 3 + 4  # Moyenneville's three, Grandeville's four
    assert not any("Petiteville" in message for message in messages)


def test_a_breach_names_the_commune_and_the_competence():
    [message] = ao.table_breaches(rows(2, "recensement", "information"), {2: COMMUNES[2]})
    assert "Moyenneville" in message and "Planifier" in message


@pytest.mark.django_db
def test_the_national_demo_table_keeps_the_rules(demo):
    convention = demo["national-2025-demo"]
    communes = {c.pk: (c.name, c.population) for c in convention.collectivites().filter(kind="commune")}
    table = convention.ao_competences.values_list("collectivite_id", "competence")
    assert ao.table_breaches(table, communes) == []


@pytest.fixture
def national(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo["national-2025-demo"]


@pytest.fixture
def table_url(client, superuser, national):
    """The national demo's AO table, its page opened by a superuser."""
    client.force_login(superuser)
    return reverse("ao_table", args=[national.pk])


def formset_data(response):
    """The AO table page's formset as the browser would post it back unchanged."""
    formset = response.context["formset"]
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[form.add_prefix(name)] = "" if value is None else getattr(value, "pk", value)
    return data


def test_removing_a_mandatory_competence_is_refused_and_nothing_changes(client, national, table_url):
    before = national.ao_competences.count()

    def a_commune_that_must_plan_stops(form):
        line = form.instance
        population = line.pk and line.collectivite.population
        if line.competence == ao.PLANIFICATION and population and population > ao.PLANNING_POPULATION_THRESHOLD:
            return {"DELETE": "on"}

    response = posted_with(client, table_url, a_commune_that_must_plan_stops)

    assert response.status_code == 422
    assert "est obligatoire" in response.content.decode()
    assert national.ao_competences.count() == before


def test_deleting_every_line_of_the_table_is_refused_and_nothing_changes(client, national, table_url):
    before = national.ao_competences.count()

    response = posted_with(client, table_url, lambda form: {"DELETE": "on"} if form.instance.pk else {})

    assert response.status_code == 422
    assert "Bormes-les-Mimosas (7\u202f968 habitants) : la compétence" in response.content.decode()
    assert national.ao_competences.count() == before


def test_a_commune_user_of_the_convention_saves_the_table(client, national):
    commune = national.collectivites().filter(kind="commune").first()
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=commune))
    url = reverse("ao_table", args=[national.pk])

    assert posted_with(client, url, lambda form: {}).status_code == 302


@pytest.mark.django_db
def test_prefilling_adds_the_mandatory_competences_of_each_commune(demo):
    convention = demo["national-2025-demo"]
    convention.ao_competences.all().delete()
    added = prefill_ao_table(convention)
    communes = convention.collectivites().filter(kind="commune")
    assert added == sum(len(ao.mandatory_competences(commune.population)) for commune in communes)
    table = convention.ao_competences.values_list("collectivite_id", "competence")
    assert ao.table_breaches(table, {c.pk: (c.name, c.population) for c in communes}) == []
    assert prefill_ao_table(convention) == 0  # a second time adds nothing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("epci_population", "transferred", "refused"),
    [
        pytest.param(12_000, 12_001, True, id="more than the EPCI's own population"),
        pytest.param(12_000, 12_000, False, id="the EPCI's own population"),
        pytest.param(12_000, 9_000, False, id="within the EPCI's own population"),
        pytest.param(None, 415_000, False, id="the EPCI's population unknown: not its recorded communes' sum"),
    ],
)
def test_the_population_transferred_to_an_epci_cannot_exceed_the_epcis(demo, epci_population, transferred, refused):
    epci = CollectiviteFactory(epci=True, population=epci_population)
    for population in (3_000, 5_000):  # the only communes of the EPCI the product knows of
        commune = CollectiviteFactory(population=population)
        commune.epci = epci
        commune.save()
    line = AOCompetence(
        convention=demo["national-2025-demo"],
        collectivite=epci,
        competence=ao.PLANIFICATION,
        exercised_by="epci",
        transfer="some",
        transferred_population=transferred,
    )

    if refused:
        with pytest.raises(ValidationError) as error:
            line.full_clean()
        assert error.value.message_dict["transferred_population"] == [
            "La population des communes ayant transféré (12\u202f001) dépasse celle de l'EPCI (12\u202f000 habitants)."
        ]
    else:
        line.full_clean()


def test_an_epci_without_a_population_takes_the_population_of_all_its_communes(client, demo, national, table_url):
    """Grand Paris Seine et Oise has no population recorded and one commune known to the product,
    Aubergenville (11 900 inhabitants, Yvelines demo): the 415 000 inhabitants of the communes that
    transferred planning are saved, not refused in the name of Aubergenville's population."""
    gpso = Collectivite.objects.get(name="Communauté urbaine Grand Paris Seine et Oise")
    assert gpso.population is None and [c.population for c in gpso.member_communes.all()] == [11_900]
    SignatoryFactory(convention=national, collectivite=gpso, position=national.signatories.count() + 1)

    def a_new_epci_line(form):
        if form.instance.pk is None:
            return {
                "collectivite": gpso.pk,
                "competence": ao.PLANIFICATION,
                "exercised_by": "epci",
                "transfer": "all",
                "transferred_population": "415000",
            }

    response = posted_with(client, table_url, a_new_epci_line)

    assert response.status_code == 302
    line = national.ao_competences.get(collectivite=gpso)
    assert (line.competence, line.transfer, line.transferred_population) == (ao.PLANIFICATION, "all", 415_000)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        pytest.param("ao_table", "get", id="the AO table cannot be opened"),
        pytest.param("ao_table", "post", id="the AO table cannot be saved"),
        pytest.param("ao_table_prefill", "post", id="the AO table cannot be pre-filled"),
        pytest.param("projections", "get", id="the projections cannot be opened"),
        pytest.param("projections", "post", id="the projections cannot be saved"),
    ],
)
def test_a_model_without_the_ao_grid_has_no_ao_tables(client, caf_staff, nord_convention, url_name, method):
    assert nord_convention.template.action_grid != "ctg_ao"
    client.force_login(caf_staff)

    response = getattr(client, method)(reverse(url_name, args=[nord_convention.pk]), {})

    assert response.status_code == 404
    assert not nord_convention.ao_competences.exists()


def posted_with(client, url, change):
    """The AO table page posted back with `change(form)` returning the fields typed into one line."""
    response = client.get(url)
    data = formset_data(response)
    for form in response.context["formset"].forms:
        for name, value in (change(form) or {}).items():
            data[form.add_prefix(name)] = value
    return client.post(url, data)


def test_a_breach_on_the_page_writes_the_population_the_french_way(client, table_url):
    def bormes_stops_planning(form):
        line = form.instance
        if line.pk and (line.collectivite.name, line.competence) == ("Bormes-les-Mimosas", ao.PLANIFICATION):
            return {"DELETE": "on"}

    response = posted_with(client, table_url, bormes_stops_planning)

    assert response.status_code == 422
    assert "Bormes-les-Mimosas (7\u202f968 habitants) : la compétence" in response.content.decode()


def test_a_transferred_population_on_a_commune_line_is_refused_and_nothing_saved(client, national, table_url):
    line = national.ao_competences.filter(collectivite__kind="commune").order_by("pk").first()

    response = posted_with(
        client, table_url, lambda form: {"transferred_population": "1111"} if form.instance == line else {}
    )

    assert response.status_code == 422
    assert "La population des communes ayant transféré se renseigne sur la ligne de l&#x27;EPCI" in (
        response.content.decode()
    )
    line.refresh_from_db()
    assert line.transferred_population is None


def test_a_transfer_on_a_commune_line_is_refused_and_nothing_saved(client, national, table_url):
    line = national.ao_competences.filter(collectivite__kind="commune").order_by("pk").first()

    response = posted_with(client, table_url, lambda form: {"transfer": "all"} if form.instance == line else {})

    assert response.status_code == 422
    assert "Le transfert (toutes ou une partie des communes) se renseigne sur la ligne de l&#x27;EPCI" in (
        response.content.decode()
    )
    line.refresh_from_db()
    assert line.transfer == ""


def test_a_transferred_population_beyond_any_epci_is_refused_in_french(client, table_url):
    def beyond_france(form):
        if form.instance.pk and form.instance.collectivite.kind == "epci":
            return {"transferred_population": "99999999999999999999"}

    response = posted_with(client, table_url, beyond_france)

    assert response.status_code == 422
    assert "Plus d'habitants que la France n'en compte (68 millions)" in response.content.decode().replace(
        "&#x27;", "'"
    )


SEED_ORDER = [ao.RECENSEMENT, ao.INFORMATION, ao.PLANIFICATION, ao.QUALITE]


def test_the_seed_orders_the_competences_recenser_informer_planifier_soutenir():
    assert [code for code, _label in ao.COMPETENCES] == SEED_ORDER
    assert [label.split()[0] for _code, label in ao.COMPETENCES] == ["Recenser", "Informer", "Planifier", "Soutenir"]


def test_the_prefilled_table_lists_each_commune_in_the_seeds_order_and_the_epci_last(client, national, table_url):
    national.ao_competences.all().delete()
    prefill_ao_table(national)
    epci = national.collectivites().get(kind="epci")
    AOCompetence.objects.create(
        convention=national, collectivite=epci, competence=ao.QUALITE, exercised_by="epci", transfer="all"
    )
    AOCompetence.objects.create(
        convention=national, collectivite=epci, competence=ao.PLANIFICATION, exercised_by="epci", transfer="all"
    )

    lines = [form.instance for form in client.get(table_url).context["formset"].forms if form.instance.pk]

    communes = sorted(national.collectivites().filter(kind="commune"), key=lambda commune: commune.name)
    expected = [
        (commune.name, code)
        for commune in communes
        for code in SEED_ORDER
        if code in ao.mandatory_competences(commune.population)
    ] + [(epci.name, ao.PLANIFICATION), (epci.name, ao.QUALITE)]
    assert [(line.collectivite.name, line.competence) for line in lines] == expected
    la_londe = [
        line.get_competence_display().split()[0] for line in lines if line.collectivite.name == "La Londe-les-Maures"
    ]
    assert la_londe == ["Recenser", "Informer", "Planifier", "Soutenir"]  # 10 412 inhabitants: all four


def test_every_listing_of_an_ao_table_follows_the_seeds_order(national):
    listed = [(line.collectivite.kind, line.competence) for line in AOCompetence.objects.filter(convention=national)]

    assert listed == [(line.collectivite.kind, line.competence) for line in national.ao_competences.in_table_order()]
    bormes = [line.competence for line in national.ao_competences.filter(collectivite__name="Bormes-les-Mimosas")]
    assert bormes == SEED_ORDER
    assert [kind for kind, _competence in listed][-2:] == ["epci", "epci"]
