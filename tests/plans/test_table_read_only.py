"""The AO table and projections pages: editable for who may change them; read-only, with why,
once the convention is signed or terminated (DESIGN §4, "Signed is frozen") or for a reader."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conventions.models import ConventionStatus, Role
from plans.access import why_plan_is_read_only
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db

TABLE_PAGES = [
    pytest.param("ao_table", "Enregistrer le tableau", id="the AO table"),
    pytest.param("projections", "Enregistrer les projections", id="the projections"),
]


class _FormControls(HTMLParser):
    """Each field a user could type into or choose from (hidden inputs left out): disabled or not."""

    def __init__(self):
        super().__init__()
        self.disabled = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("select", "textarea") or (tag == "input" and attributes.get("type") not in ("hidden", "submit")):
            self.disabled.append("disabled" in attributes)


def fields_disabled(response):
    """Whether each field of the page is disabled, in the page's order."""
    parser = _FormControls()
    parser.feed(response.content.decode())
    return parser.disabled


@pytest.fixture
def opened(client, var_caf_staff, national_convention):
    """The page `url_name` of the national demo convention, opened by its Caf's staff."""
    client.force_login(var_caf_staff)

    def open_page(url_name):
        return client.get(reverse(url_name, args=[national_convention.pk]))

    return open_page


def set_status(convention, status):
    type(convention).objects.filter(pk=convention.pk).update(status=status)


@pytest.mark.parametrize(("url_name", "save_button"), TABLE_PAGES)
def test_a_draft_table_is_shown_with_its_fields_to_fill_and_saved(opened, national_convention, url_name, save_button):
    assert national_convention.status == ConventionStatus.DRAFT

    response = opened(url_name)

    page = response.content.decode()
    assert fields_disabled(response) and not any(fields_disabled(response))
    assert save_button in page
    assert "La convention est signée" not in page


@pytest.mark.parametrize(("url_name", "save_button"), TABLE_PAGES)
@pytest.mark.parametrize(
    ("status", "notice"),
    [
        pytest.param(
            ConventionStatus.SIGNED, "La convention est signée : elle ne change plus que par avenant.", id="signed"
        ),
        pytest.param(
            ConventionStatus.TERMINATED, "La convention est résiliée : elle ne change plus.", id="terminated"
        ),
    ],
)
def test_a_frozen_table_is_shown_read_only_with_why(
    opened, national_convention, url_name, save_button, status, notice
):
    set_status(national_convention, status)

    response = opened(url_name)

    page = response.content.decode()
    assert response.status_code == 200
    assert fields_disabled(response) and all(fields_disabled(response))
    assert f'<p class="alert alert-info">{notice}</p>' in page.replace("&#x27;", "'")
    assert save_button not in page and "Pré-remplir" not in page
    formset = response.context["formset"]
    assert formset.extra == 0 and not formset.can_delete  # no blank line, no box to delete a line
    assert len(formset.forms) == formset.get_queryset().count() > 0


def test_a_user_who_may_not_fill_the_plan_reads_it_with_why(national_convention):
    reader = UserFactory(role="")

    assert (
        why_plan_is_read_only(reader, national_convention)
        == "Vous pouvez consulter ce plan d'actions, pas le modifier."
    )
    assert why_plan_is_read_only(UserFactory(role=Role.COMMUNE), national_convention) == ""
