"""Who may open and change what: every URL of conventions/urls.py against every role, on the Nord
demo convention (DESIGN §2). Another Caf's or collectivité's convention does not exist for them
(404); a commune user reads but never changes (403); a signed convention is frozen (403)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from conventions.forms import RepresentativeFormSet, SignatoryForm
from conventions.models import Collectivite, Convention, ConventionStatus, SteeringBody
from tests.conventions.factories import CollectiviteFactory

LOGIN_URL = "/comptes/login/"


@pytest.fixture(scope="module")
def shared_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, shared_media):
    # One folder for the module: the preview and the PDF are then rendered once, not once per role.
    settings.MEDIA_ROOT = shared_media


def untouched(form):
    """What a browser sends back for a form nobody changed."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def signatories_data(convention):
    data = {}
    for signatory in convention.signatories.all():
        data |= untouched(SignatoryForm(instance=signatory, prefix=f"party-{signatory.pk}"))
        people = RepresentativeFormSet(instance=signatory, prefix=f"people-{signatory.pk}")
        data |= untouched(people.management_form)
        for form in people:
            data |= untouched(form)
    return data


def section_data(section):
    return {"text": f"{section.text}\n\nUne phrase ajoutée.", "opened_version": section.version}


def editable_article(convention):
    return convention.articles.filter(editable=True).order_by("position").first()


def steering_annex(convention):
    return convention.annexes.get(kind="steering")


def armentieres():
    return Collectivite.objects.get(insee_code="59017")


def new_signatory(convention):
    """A collectivité without délibération, so that removing it succeeds."""
    return convention.add_signatory(collectivite=CollectiviteFactory())


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    kind: str  # a key of EXPECTED
    what: str  # completes "… may <what>", "… cannot <what>"
    build: Callable  # convention -> (url args, POST data)


CASES = [
    Case("home", "get", "anyone", "see the home page", lambda c: ([], None)),
    Case("convention_create", "get", "create", "open the creation form", lambda c: ([], None)),
    Case("collectivite_search", "get", "anyone", "search a collectivité", lambda c: ([], {"q": "Armen"})),
    Case("collectivite_chosen", "get", "anyone", "pick a collectivité", lambda c: ([armentieres().pk], None)),
    Case("convention_edit", "get", "read", "read the summary", lambda c: ([c.pk], None)),
    Case("convention_history", "get", "read", "read the history", lambda c: ([c.pk], None)),
    Case("convention_preview", "get", "read", "read the preview", lambda c: ([c.pk], None)),
    Case("convention_pdf", "get", "read", "download the PDF", lambda c: ([c.pk], None)),
    Case("convention_pdf_state", "get", "read", "see whether the PDF is ready", lambda c: ([c.pk], None)),
    Case("convention_signatories", "get", "read", "read the signatories", lambda c: ([c.pk], None)),
    Case("article_edit", "get", "read", "read an article", lambda c: ([c.pk, editable_article(c).pk], None)),
    Case("annex_edit", "get", "read", "read an annex", lambda c: ([c.pk, steering_annex(c).pk], None)),
    Case("section_preview", "post", "read", "preview a typed text", lambda c: ([c.pk], {"text": "Un **texte**."})),
    Case("convention_info", "get", "read", "read the general information", lambda c: ([c.pk], None)),
    Case(
        "convention_info",
        "post",
        "change",
        "change the general information",
        lambda c: (
            [c.pk],
            {
                "title": "Convention territoriale globale d'Armentières",
                "territory": c.territory,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "signature_place": c.signature_place,
            },
        ),
    ),
    Case("convention_options", "post", "change", "change the options", lambda c: ([c.pk], {})),
    Case(
        "convention_signatories",
        "post",
        "change",
        "change the signatories",
        lambda c: ([c.pk], signatories_data(c)),
    ),
    Case(
        "signatory_add",
        "post",
        "change",
        "add a signatory",
        lambda c: ([c.pk], {"collectivites": [CollectiviteFactory().pk]}),
    ),
    Case("signatory_remove", "post", "change", "remove a signatory", lambda c: ([c.pk, new_signatory(c).pk], {})),
    Case(
        "article_edit",
        "post",
        "change",
        "change an article",
        lambda c: ([c.pk, editable_article(c).pk], section_data(editable_article(c))),
    ),
    Case(
        "annex_edit",
        "post",
        "change",
        "change an annex",
        lambda c: ([c.pk, steering_annex(c).pk], section_data(steering_annex(c))),
    ),
    Case(
        "row_add",
        "post",
        "change",
        "add a table row",
        lambda c: ([c.pk, "instances"], {"instances-dispositif": "Comité de pilotage"}),
    ),
    Case(
        "row_delete",
        "post",
        "change",
        "delete a table row",
        lambda c: ([c.pk, "instances", c.steering_bodies.first().pk], {}),
    ),
]

ROLES = {
    None: "anonymous user",
    "caf_admin": "Caf administrator",
    "caf_staff": "Caf staff",
    "commune_user": "commune user",
    "other_caf_staff": "other Caf staff",
    "other_commune_user": "other commune user",
    "superuser": "superuser",
}

# Status by kind of URL and role; 302 for a change is the redirect after success.
EXPECTED = {
    "anyone": dict.fromkeys(ROLES, 200) | {None: 302},
    # Only a Caf user creates, for their own Caf: a superuser has no Caf to create for.
    "create": {
        None: 302,
        "caf_admin": 200,
        "caf_staff": 200,
        "commune_user": 403,
        "other_caf_staff": 200,
        "other_commune_user": 403,
        "superuser": 403,
    },
    "read": {
        None: 302,
        "caf_admin": 200,
        "caf_staff": 200,
        "commune_user": 200,
        "other_caf_staff": 404,
        "other_commune_user": 404,
        "superuser": 200,
    },
    "change": {
        None: 302,
        "caf_admin": 302,
        "caf_staff": 302,
        "commune_user": 403,
        "other_caf_staff": 404,
        "other_commune_user": 404,
        "superuser": 302,
    },
}


def describe(case, role, status):
    name = ROLES[role]
    if role is None:
        return f"{name} must log in to {case.what}"
    if status == 404:
        return f"{name} gets 404 trying to {case.what}"
    if status == 403:
        return f"{name} cannot {case.what}"
    return f"{name} may {case.what}"


ACCESS_TABLE = [
    pytest.param(case, role, EXPECTED[case.kind][role], id=describe(case, role, EXPECTED[case.kind][role]))
    for case in CASES
    for role in ROLES
]


def request_as(client, user, case, convention):
    if user is not None:
        client.force_login(user)
    args, data = case.build(convention)
    url = reverse(case.url_name, args=args)
    return url, getattr(client, case.method)(url, data or {})


@pytest.mark.parametrize(("case", "role", "status"), ACCESS_TABLE)
def test_access(request, client, nord_convention, case, role, status):
    user = request.getfixturevalue(role) if role else None

    url, response = request_as(client, user, case, nord_convention)

    assert response.status_code == status
    if role is None:
        assert response.url.startswith(f"{LOGIN_URL}?next=")
    elif status == 302:
        assert not response.url.startswith(LOGIN_URL)


CHANGES = [case for case in CASES if case.kind == "change"]


@pytest.mark.parametrize("case", CHANGES, ids=[f"a signed convention refuses to {case.what}" for case in CHANGES])
def test_signed_convention_refuses_every_change(client, nord_convention, caf_admin, case):
    args, data = case.build(nord_convention)  # built before the signature: it may add a signatory
    Convention.objects.filter(pk=nord_convention.pk).update(status=ConventionStatus.SIGNED)
    client.force_login(caf_admin)

    response = getattr(client, case.method)(reverse(case.url_name, args=args), data or {})

    assert response.status_code == 403


def yvelines_article(yvelines):
    return yvelines.articles.filter(editable=True).first()


@pytest.mark.parametrize(
    ("url_name", "method", "child"),
    [
        pytest.param("article_edit", "get", yvelines_article, id="an article of another convention gets 404"),
        pytest.param("article_edit", "post", yvelines_article, id="changing another convention's article gets 404"),
        pytest.param("annex_edit", "get", lambda c: c.annexes.first(), id="an annex of another convention gets 404"),
        pytest.param(
            "signatory_remove",
            "post",
            lambda c: c.signatories.filter(collectivite__isnull=False).first(),
            id="removing another convention's signatory gets 404",
        ),
    ],
)
def test_child_of_another_convention_gets_404(client, demo, nord_convention, caf_admin, url_name, method, child):
    obj = child(demo["yvelines-aubergenville-2024"])
    client.force_login(caf_admin)

    response = getattr(client, method)(reverse(url_name, args=[nord_convention.pk, obj.pk]), {})

    assert response.status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_deleting_a_row_of_another_convention_gets_404(client, demo, nord_convention, caf_admin):
    row = demo["yvelines-aubergenville-2024"].steering_bodies.first()
    client.force_login(caf_admin)

    response = client.post(reverse("row_delete", args=[nord_convention.pk, "instances", row.pk]))

    assert response.status_code == 404
    assert SteeringBody.objects.filter(pk=row.pk).exists()
