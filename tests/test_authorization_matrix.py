"""Who may do what (DESIGN §2): every named URL of conventions/urls.py and plans/urls.py, with each
method that reads or changes something, against every role, on the Nord demo convention.

Another Caf's or collectivité's convention does not exist for them (404). The signing commune reads
the convention and fills its plan d'actions, but changes nothing else (403). Only a Caf
administrator records a signature, attaches an original or exports. Kept beside their app: a signed
convention's refusals (tests/conventions/test_access_matrix.py, from this table) and the children of
another convention (404)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import ERROR, get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

import conventions.urls
import plans.urls
from conventions.avenants import open_change
from conventions.forms import AvenantRepresentativeFormSet, OptionsForm, RepresentativeFormSet, SignatoryForm
from conventions.lifecycle import archive
from conventions.models import (
    ActionGrid,
    Avenant,
    Collectivite,
    Convention,
    ConventionStatus,
    ConventionTemplate,
    DocumentKind,
)
from plans.forms import AOTableFormSet, ProjectionFormSet, action_sheet_form_class
from plans.models import ActionSheet, Axis, prefill_ao_table
from tests.conventions.factories import CollectiviteFactory
from tests.forms import as_sent
from tests.pdfs import pdf_bytes

LOGIN_URL = "/comptes/login/"


@pytest.fixture(scope="module")
def shared_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, shared_media):
    # One folder for the module: the preview and the PDF are then rendered once, not once per role.
    settings.MEDIA_ROOT = shared_media


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Each test creates its user: the production hasher would make the matrix take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# What a browser sends back, and the objects a request needs -----------------------------------


def untouched(form):
    """What a browser sends back for a form nobody changed."""
    return as_sent(form)


def untouched_formset(formset):
    data = untouched(formset.management_form)
    for form in formset:
        data |= untouched(form)
    return data


def editable_article(convention):
    return convention.articles.filter(editable=True).order_by("position").first()


def steering_annex(convention):
    return convention.annexes.get(kind="steering")


def armentieres():
    return Collectivite.objects.get(insee_code="59017")


def with_status(convention, status):
    """The convention moved to `status` directly: the matrix tests access, not the lifecycle (and
    a real signature would render and archive a PDF in every test)."""
    Convention.objects.filter(pk=convention.pk).update(status=status)
    convention.status = status
    return convention


def signed(convention):
    return with_status(convention, ConventionStatus.SIGNED)


def avenant(convention, status=ConventionStatus.DRAFT):
    """Avenant n°1 of the (then signed) convention, rewriting its first editable article."""
    created = Avenant.objects.create_for(signed(convention), None)
    change = open_change(created, editable_article(convention))
    change.new_text = f"{change.old_text}\n\nLe comité de pilotage se réunit deux fois par an."
    change.save()
    Avenant.objects.filter(pk=created.pk).update(status=status)
    return created, change


def first_axis(convention):
    return convention.axes.order_by("position").first()


def first_action(convention):
    return ActionSheet.objects.filter(axis__convention=convention).order_by("axis__position", "position").first()


def a_pdf(name="document.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# The requests: convention -> (URL args, data). A change is built so that it succeeds when allowed.


def nothing(c):
    return [], None


def on_convention(c):
    return [c.pk], None


def new_convention(c):
    """A new convention from the national model, which every Caf may use."""
    national = ConventionTemplate.objects.get(caf__isnull=True, slug="national-2025")
    data = {
        "template": national.pk,
        "reference": "creee-par-le-test-2026",
        "title": "Convention territoriale globale de test",
        "territory": "la commune d'Armentières",
        "start_date": "2026-01-01",
        "end_date": "2029-12-31",
        "signature_place": "Lille",
        "collectivites": [armentieres().pk],
    }
    return [], data


def search(c):
    return [], {"q": "Armen"}


def chosen(c):
    return [armentieres().pk], None


def new_info(c):
    data = {
        "title": "Convention territoriale globale d'Armentières",
        "territory": c.territory,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "signature_place": c.signature_place,
    }
    return [c.pk], data


def same_options(c):
    return [c.pk], untouched(OptionsForm(convention=c))


def same_signatories(c):
    data = {}
    for signatory in c.signatories.all():
        data |= untouched(SignatoryForm(instance=signatory, prefix=f"party-{signatory.pk}"))
        data |= untouched_formset(RepresentativeFormSet(instance=signatory, prefix=f"people-{signatory.pk}"))
    return [c.pk], data


def another_signatory(c):
    return [c.pk], {"collectivites": [CollectiviteFactory().pk]}


def removable_signatory(c):
    """A collectivité without délibération, so that removing it succeeds."""
    return [c.pk, c.add_signatory(collectivite=CollectiviteFactory()).pk], {}


def on_article(c):
    return [c.pk, editable_article(c).pk], None


def on_annex(c):
    return [c.pk, steering_annex(c).pk], None


def with_a_new_sentence(section):
    return {"text": f"{section.text}\n\nUne phrase ajoutée.", "opened_version": section.version}


def new_article_text(c):
    return [c.pk, editable_article(c).pk], with_a_new_sentence(editable_article(c))


def new_annex_text(c):
    return [c.pk, steering_annex(c).pk], with_a_new_sentence(steering_annex(c))


def typed_text(c):
    return [c.pk], {"text": "Un **texte**."}


def new_steering_body(c):
    return [c.pk, "instances"], {"instances-dispositif": "Comité de pilotage"}


def first_steering_body(c):
    return [c.pk, "instances", c.steering_bodies.first().pk], {}


def changed_steering_body(c):
    body = c.steering_bodies.first()
    fields = ("dispositif", "name", "missions", "composition", "periodicity")
    return [c.pk, "instances", body.pk], {field: getattr(body, field) for field in fields} | {"name": "COPIL"}


def deliberation_file(c):
    deliberation = c.deliberations.first()
    deliberation.file.save("deliberation.pdf", ContentFile(b"%PDF-1.4 deliberation"), save=True)
    return [c.pk, "deliberations", deliberation.pk], {}


def to_consultation(c):
    return [c.pk], {"status": ConventionStatus.CONSULTATION}


def on_validated(c):
    return [with_status(c, ConventionStatus.VALIDATED).pk], None


def signature_dates(c):
    dates = {f"signatory_{signatory.pk}": "2023-01-18" for signatory in c.signatories.all()}
    return [with_status(c, ConventionStatus.VALIDATED).pk], dates


def on_signed_document(c):
    """An archived signed PDF (any bytes do here)."""
    document = archive(signed(c), DocumentKind.SIGNED_PDF, "signee.pdf", b"%PDF-1.4 signed", None)
    return [c.pk, document.pk], None


def paper_original(c):
    return [signed(c).pk], {"file": a_pdf("scan.pdf")}


def on_signed(c):
    return [signed(c).pk], None


def termination(c):
    return [signed(c).pk], {"effective_on": "2025-12-31", "ground": "consentement_mutuel", "details": ""}


def on_avenant(c):
    return [c.pk, avenant(c)[0].number], None


def article_for_avenant(c):
    return [c.pk, avenant(c)[0].number], {"section": f"article-{editable_article(c).pk}"}


def on_avenant_change(c):
    created, change = avenant(c)
    return [c.pk, created.number, change.pk], None


def removed_avenant_change(c):
    args, _ = on_avenant_change(c)
    return args, {}


def new_avenant_text(c):
    created, change = avenant(c)
    text = "Le comité de pilotage se réunit deux fois par an."
    return [c.pk, created.number, change.pk], {"new_text": text, "opened_version": change.version}


def avenant_people(c):
    created, _change = avenant(c)
    data = {}
    for party in c.signatories.all():
        people = AvenantRepresentativeFormSet(instance=created, signatory=party, prefix=f"people-{party.pk}")
        data |= untouched_formset(people)
    return [c.pk, created.number], data


def avenant_prolongation(c):
    return [c.pk, avenant(c)[0].number], {"new_end_date": f"{c.end_date.year + 1}-06-30"}


def avenant_validation(c):
    return [c.pk, avenant(c)[0].number], {"status": ConventionStatus.VALIDATED}


def avenant_signature_date(c):
    return [c.pk, avenant(c, ConventionStatus.VALIDATED)[0].number], {"date": "2025-03-01"}


def pdf_to_check(c):
    return [], {"file": a_pdf()}


def new_axis(c):
    return [c.pk], {"title": "Soutenir les familles"}


def first_axis_down(c):
    return [c.pk, first_axis(c).pk, "descendre"], {}


def on_first_axis(c):
    return [c.pk, first_axis(c).pk], None


def renamed_axis(c):
    return [c.pk, first_axis(c).pk], {"title": "Soutenir les familles"}


def emptied_axis(c):
    """A new axis with no fiche action: the only kind of axis deleted."""
    axis = Axis.objects.create(convention=c, position=c.axes.count() + 10, title="Axe sans action")
    return [c.pk, axis.pk], {}


def new_action(c):
    return [c.pk, first_axis(c).pk], {"title": "Ouvrir un lieu d'accueil enfants-parents"}


def on_first_action(c):
    return [c.pk, first_action(c).pk], None


def same_action(c):
    return [c.pk, first_action(c).pk], untouched(action_sheet_form_class(first_action(c))(instance=first_action(c)))


def action_deleted(c):
    return [c.pk, first_action(c).pk], {}


def first_action_down(c):
    return [c.pk, first_action(c).pk, "descendre"], {}


def quarterly_update(c):
    return [c.pk, first_action(c).pk], {"period": "2025-04-01", "status": "in_progress", "progress": "40"}


def with_the_ao_grid(c):
    """The AO table and the projections are tables of the models with the AO grid (the 2025
    national model's): the Nord model is given that grid."""
    ConventionTemplate.objects.filter(pk=c.template_id).update(action_grid=ActionGrid.CTG_WITH_AO)
    return c


def on_ao_tables(c):
    return [with_the_ao_grid(c).pk], None


def prefilled_ao_table(c):
    """Pre-filled so that it keeps the population rules, then sent back unchanged."""
    prefill_ao_table(with_the_ao_grid(c))
    return [c.pk], untouched_formset(AOTableFormSet(convention=c))


def csv_export(c):
    return [c.pk, "csv"], None


def same_projections(c):
    return [with_the_ao_grid(c).pk], untouched_formset(ProjectionFormSet(convention=c))


def on_fiches_import(c):
    return [c.pk, "fiches-actions"], None


def fiches_file(c):
    lines = [
        "Axe;Action;Public cible;Indicateurs d'évaluation",
        f"{first_axis(c).title};Créer un lieu d'accueil parents-enfants;Parents;Fréquentation",
    ]
    return [c.pk, "fiches-actions"], {"file": SimpleUploadedFile("fiches.csv", "\n".join(lines).encode())}


def final_report(c):
    return [c.pk, "final"], None


def final_report_pdf(c):
    return [c.pk, "final", "pdf"], None


def annual_report(c):
    return [c.pk, "annuel", 2023], None


def annual_report_pdf(c):
    return [c.pk, "annuel", 2023, "pdf"], None


# The table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    kind: str  # a key of EXPECTED
    what: str  # completes "… may <what>", "… cannot <what>"
    build: Callable  # convention -> (url args, request data)
    done: int | None = None  # the status of success when it is not 200 for a GET, 302 for a POST

    @property
    def success(self):
        return self.done or (200 if self.method == "get" else 302)


CONVENTION_CASES = [
    Case("home", "get", "anyone", "see the home page", nothing),
    Case("convention_create", "get", "create", "open the creation form", nothing),
    Case("convention_create", "post", "create", "create a convention", new_convention),
    Case("collectivite_search", "get", "anyone", "search the local authorities", search),
    Case("collectivite_chosen", "get", "anyone", "pick a local authority", chosen),
    Case("convention_edit", "get", "read", "read the summary", on_convention),
    Case("convention_info", "get", "read", "read the general information", on_convention),
    Case("convention_info", "post", "change", "change the general information", new_info),
    Case("convention_options", "post", "change", "change the options", same_options),
    Case("convention_delete", "get", "change", "be asked before deleting a draft", on_convention),
    Case("convention_delete", "post", "change", "delete a draft", on_convention),
    Case("convention_signatories", "get", "read", "read the signatories", on_convention),
    Case("convention_signatories", "post", "change", "change the signatories", same_signatories),
    Case("signatory_add", "post", "change", "add a signatory", another_signatory),
    Case("signatory_remove", "get", "change", "be asked before removing a signatory", removable_signatory),
    Case("signatory_remove", "post", "change", "remove a signatory", removable_signatory),
    Case("article_edit", "get", "read", "read an article", on_article),
    Case("article_edit", "post", "change", "change an article", new_article_text),
    Case("annex_edit", "get", "read", "read an annex", on_annex),
    Case("annex_edit", "post", "change", "change an annex", new_annex_text),
    Case("section_preview", "post", "read", "preview a typed text", typed_text, done=200),
    Case("row_add", "post", "change", "add a table row", new_steering_body),
    Case("row_edit", "get", "change", "open a table row to change it", first_steering_body),
    Case("row_edit", "post", "change", "change a table row", changed_steering_body),
    Case("row_delete", "post", "change", "delete a table row", first_steering_body),
    Case("row_file", "get", "read", "download a row's file", deliberation_file),
    Case("convention_history", "get", "read", "read the history", on_convention),
    Case("convention_status", "post", "workflow", "put the convention in consultation", to_consultation),
    Case("convention_terminate", "get", "admin", "open the termination of a convention", on_signed),
    Case("convention_terminate", "post", "admin", "terminate a convention", termination),
    Case("convention_sign", "get", "admin", "open the signature form", on_validated),
    Case("convention_sign", "post", "admin", "record the signature", signature_dates),
    Case("signed_document", "get", "read", "download the signed PDF", on_signed_document),
    Case("external_original", "post", "admin", "attach the original signed on paper", paper_original),
    Case("avenant_create", "post", "avenant", "open an amendment", on_signed),
    Case("avenant_detail", "get", "read", "read an amendment", on_avenant),
    Case("avenant_change_open", "post", "avenant", "choose the article an amendment rewrites", article_for_avenant),
    Case("avenant_change", "get", "read", "read the change of an amendment", on_avenant_change),
    Case("avenant_change", "post", "avenant", "write the change of an amendment", new_avenant_text),
    Case("avenant_change_remove", "get", "avenant", "open the removal of an amendment's change", on_avenant_change),
    Case("avenant_change_remove", "post", "avenant", "remove a change from an amendment", removed_avenant_change),
    Case("avenant_signatories", "get", "read", "read who signs an amendment", on_avenant),
    Case("avenant_signatories", "post", "avenant", "name who signs an amendment", avenant_people),
    Case("avenant_prolongation", "post", "avenant", "prolong the convention by an amendment", avenant_prolongation),
    Case("avenant_validate", "post", "avenant", "validate an amendment", avenant_validation),
    Case("avenant_sign", "post", "admin", "record the signature of an amendment", avenant_signature_date),
    Case("avenant_preview", "get", "read", "preview an amendment", on_avenant),
    Case("avenant_pdf", "get", "read", "download the PDF of an amendment", on_avenant),
    Case("verify", "get", "anyone", "open the signed-PDF check", nothing),
    Case("verify", "post", "anyone", "check a PDF against the signed ones", pdf_to_check, done=200),
    Case("signed_export", "get", "export", "open the export of the signed conventions", nothing),
    Case("convention_preview", "get", "read", "read the preview", on_convention),
    Case("convention_pdf", "get", "read", "download the PDF", on_convention),
    Case("convention_pdf_state", "get", "read", "see whether the PDF is ready", on_convention),
]

PLAN_CASES = [
    Case("plan", "get", "read", "read the action plan", on_convention),
    Case("axis_add", "post", "fill", "add an axis", new_axis),
    Case("axis_move", "post", "fill", "move an axis", first_axis_down),
    Case("axis_edit", "get", "fill", "open the renaming of an axis", on_first_axis),
    Case("axis_edit", "post", "fill", "rename an axis", renamed_axis),
    Case("axis_delete", "get", "fill", "open the deletion of an axis", on_first_axis),
    Case("axis_delete", "post", "fill", "delete an empty axis", emptied_axis),
    Case("action_add", "get", "read", "open a new action sheet", on_first_axis),
    Case("action_add", "post", "fill", "add an action sheet", new_action),
    Case("action_edit", "get", "read", "read an action sheet", on_first_action),
    Case("action_edit", "post", "fill", "change an action sheet", same_action),
    Case("action_move", "post", "fill", "move an action sheet", first_action_down),
    Case("action_delete", "get", "fill", "open the deletion of an action sheet", on_first_action),
    Case("action_delete", "post", "fill", "delete an action sheet", action_deleted),
    Case("follow_up_add", "post", "follow-up", "record a quarterly update", quarterly_update),
    Case("dashboard", "get", "read", "read the dashboard", on_convention),
    Case("ao_table", "get", "read", "read the organising-authority table", on_ao_tables),
    Case("ao_table", "post", "fill", "save the organising-authority table", prefilled_ao_table),
    Case("ao_table_prefill", "post", "fill", "prefill the organising-authority table", on_ao_tables),
    Case("follow_up_export", "get", "read", "export the shared follow-up table", csv_export),
    Case("projections", "get", "read", "read the places projections", on_ao_tables),
    Case("projections", "post", "fill", "save the places projections", same_projections),
    Case("import_file", "get", "read", "open the action-sheet import", on_fiches_import),
    Case("import_blank_file", "get", "read", "download the blank action-sheet file", on_fiches_import),
    # Its success is the preview (200); applying it takes the token kept in this session.
    Case("import_file", "post", "fill", "preview an action-sheet import", fiches_file, done=200),
    Case("report", "get", "read", "read the final report", final_report),
    Case("report_file", "get", "read", "download the final report", final_report_pdf),
    Case("report_year", "get", "read", "read an annual report", annual_report),
    Case("report_year_file", "get", "read", "download an annual report", annual_report_pdf),
]

CASES = CONVENTION_CASES + PLAN_CASES

ROLES = {
    None: "anonymous user",
    "caf_admin": "Caf administrator",
    "caf_staff": "Caf staff",
    "commune_user": "commune user",
    "other_caf_staff": "other Caf staff",
    "other_commune_user": "other commune user",
    "superuser": "superuser",
}

# Outcomes. OK is the case's success status (200 for a page, 302 for a change).
OK, LOGIN, DENIED, NOT_FOUND = "ok", "login", "denied", "not found"
STATUS = {LOGIN: 302, DENIED: 403, NOT_FOUND: 404}

EXPECTED = {
    #                anonymous  Caf admin  Caf staff    commune      other Caf  other commune  superuser
    # Global pages, for anyone logged in.
    "anyone":       (LOGIN,     OK,        OK,          OK,          OK,        OK,            OK),
    # A Caf user creates for their own Caf: a superuser has no Caf to create for.
    "create":       (LOGIN,     OK,        OK,          DENIED,      OK,        DENIED,        DENIED),
    # Whoever sees the convention reads all of it.
    "read":         (LOGIN,     OK,        OK,          OK,          NOT_FOUND, NOT_FOUND,     OK),
    # The text, the tables and the signatories: Caf users only, until signed.
    "change":       (LOGIN,     OK,        OK,          DENIED,      NOT_FOUND, NOT_FOUND,     OK),
    # The lifecycle up to "validated"; it goes on after signature (termination).
    "workflow":     (LOGIN,     OK,        OK,          DENIED,      NOT_FOUND, NOT_FOUND,     OK),
    # Avenants, on a signed convention: Caf users only.
    "avenant":      (LOGIN,     OK,        OK,          DENIED,      NOT_FOUND, NOT_FOUND,     OK),
    # The plan d'actions: the signing commune fills it too, until signed.
    "fill":         (LOGIN,     OK,        OK,          OK,          NOT_FOUND, NOT_FOUND,     OK),
    # The quarterly follow-up: filled like the plan, and it goes on after signature.
    "follow-up":    (LOGIN,     OK,        OK,          OK,          NOT_FOUND, NOT_FOUND,     OK),
    # Caf administrator only: the signature of the convention or of an avenant, the original
    # signed on paper.
    "admin":        (LOGIN,     OK,        DENIED,      DENIED,      NOT_FOUND, NOT_FOUND,     OK),
    # The export of a Caf's signed conventions: that Caf's administrator; every Caf's: the operator.
    "export":       (LOGIN,     OK,        DENIED,      DENIED,      DENIED,    DENIED,        OK),
}  # fmt: skip


def expected(case, role):
    return dict(zip(ROLES, EXPECTED[case.kind], strict=True))[role]


def status_of(case, outcome):
    return case.success if outcome == OK else STATUS[outcome]


def describe(case, role, outcome):
    name = ROLES[role]
    if outcome == LOGIN:
        return f"{name} must log in to {case.what}"
    if outcome == NOT_FOUND:
        return f"{name} gets 404 trying to {case.what}"
    if outcome == DENIED:
        return f"{name} cannot {case.what}"
    return f"{name} may {case.what}"


MATRIX = [
    pytest.param(case, role, expected(case, role), id=describe(case, role, expected(case, role)))
    for case in CASES
    for role in ROLES
]


def close_keeping_the_database(response):
    """Close a streamed response the way the test client does: its closing signals the end of a
    request, which must not close the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def request_as(client, user, case, convention):
    """The case's request by `user` (None: anonymous); returns the URL and the response."""
    if user is not None:
        client.force_login(user)
    args, data = case.build(convention)
    url = reverse(case.url_name, args=args)
    response = getattr(client, case.method)(url, data or {})
    if response.streaming:
        close_keeping_the_database(response)
    return url, response


def error_messages(response):
    return [message for message in get_messages(response.wsgi_request) if message.level == ERROR]


@pytest.mark.parametrize(("case", "role", "outcome"), MATRIX)
def test_authorization(request, client, nord_convention, case, role, outcome):
    user = request.getfixturevalue(role) if role else None

    url, response = request_as(client, user, case, nord_convention)

    assert response.status_code == status_of(case, outcome)
    if outcome == LOGIN and case.method == "get":
        assert response.url.startswith(f"{LOGIN_URL}?next={url}")
    elif outcome == LOGIN:
        # Posted with no page to go back to (no Referer): after the login, the home page.
        assert response.url == f"{LOGIN_URL}?next=/"
    elif response.status_code == 302:
        assert not response.url.startswith(LOGIN_URL)
        # A success says nothing went wrong (no refusal hides behind a redirection).
        assert not error_messages(response), error_messages(response)


def url_names(urlpatterns):
    return {pattern.name for pattern in urlpatterns}


def test_every_url_of_both_apps_has_a_row_and_every_row_is_unique():
    assert url_names(conventions.urls.urlpatterns) | url_names(plans.urls.urlpatterns) == {
        case.url_name for case in CASES
    }
    assert len({(case.url_name, case.method) for case in CASES}) == len(CASES)
    assert len({case.what for case in CASES}) == len(CASES)
