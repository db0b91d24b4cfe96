"""Every page of the plans app, for every role: read, fill, or not even know it exists."""

import pytest
from django.urls import reverse

from plans.models import ActionSheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pages(convention):
    action = ActionSheet.objects.filter(axis__convention=convention).first()
    axis = action.axis
    return {
        "plan": reverse("plan", args=[convention.pk]),
        "fiche action": reverse("action_edit", args=[convention.pk, action.pk]),
        "new fiche": reverse("action_add", args=[convention.pk, axis.pk]),
        "dashboard": reverse("dashboard", args=[convention.pk]),
        "AO table": reverse("ao_table", args=[convention.pk]),
        "projections": reverse("projections", args=[convention.pk]),
        "follow-up export": reverse("follow_up_export", args=[convention.pk, "csv"]),
        "final report": reverse("report", args=[convention.pk, "final"]),
        "import": reverse("import_file", args=[convention.pk, "fiches-actions"]),
    }


ROLES = [
    (None, 302, "anonymous is sent to log in"),
    ("caf_admin", 200, "the Caf administrator"),
    ("caf_staff", 200, "the Caf staff"),
    ("commune_user", 200, "the signing commune"),
    ("superuser", 200, "the superuser"),
    ("other_caf_staff", 404, "another Caf"),
    ("other_commune_user", 404, "another commune"),
]
PAGE_NAMES = [
    "plan", "fiche action", "new fiche", "dashboard", "AO table", "projections", "follow-up export",
    "final report", "import",
]  # fmt: skip


@pytest.mark.parametrize("page_name", PAGE_NAMES)
@pytest.mark.parametrize(("role", "status"), [(role, status) for role, status, _ in ROLES], ids=[i for *_, i in ROLES])
def test_who_reaches_each_page_of_the_plan(client, request, nord_convention, page_name, role, status):
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get(pages(nord_convention)[page_name])
    assert response.status_code == status


@pytest.mark.parametrize(
    ("url_name", "args"),
    [("axis_add", []), ("ao_table", []), ("projections", [])],
    ids=["add an axis", "save the AO table", "save the projections"],
)
def test_another_commune_cannot_change_anything(client, other_commune_user, nord_convention, url_name, args):
    client.force_login(other_commune_user)
    assert client.post(reverse(url_name, args=[nord_convention.pk, *args]), {}).status_code == 404
