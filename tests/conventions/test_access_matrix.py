"""A signed or terminated convention refuses every change, of both apps, but the quarterly follow-up; the
children of another convention (articles, annexes, signatories, rows) answer 404. Who may open and
change what, role by role, is the matrix of tests/test_authorization_matrix.py."""

import pytest
from django.urls import reverse

from conventions.models import Convention, ConventionStatus, SteeringBody
from tests.test_authorization_matrix import CASES


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Every change of the text, its tables and signatories, and of the plan d'actions' structure; the
# lifecycle (termination), the avenants and the administrator's archives go on after signature.
FROZEN = [case for case in CASES if case.kind in ("change", "fill", "follow-up")]


def refusal(case, status):
    label = ConventionStatus(status).label.lower()
    if case.kind == "follow-up":
        return pytest.param(case, status, 302, id=f"a {label} convention still lets you {case.what}")
    return pytest.param(case, status, 403, id=f"a {label} convention refuses to {case.what}")


@pytest.mark.parametrize(
    ("case", "frozen_status", "expected"),
    [refusal(case, status) for status in (ConventionStatus.SIGNED, ConventionStatus.TERMINATED) for case in FROZEN],
)
def test_signed_or_terminated_convention_refuses_every_change(
    client, nord_convention, caf_admin, case, frozen_status, expected
):
    args, data = case.build(nord_convention)  # built before the signature: it may add a signatory
    Convention.objects.filter(pk=nord_convention.pk).update(status=frozen_status)
    client.force_login(caf_admin)

    response = getattr(client, case.method)(reverse(case.url_name, args=args), data or {})

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("case", "frozen_status", "reason"),
    [
        pytest.param(
            case, status, reason, id=f"a {ConventionStatus(status).label.lower()} convention says so to {case.what}"
        )
        for status, reason in (
            (ConventionStatus.SIGNED, "La convention est signée : elle ne change plus que par avenant."),
            (ConventionStatus.TERMINATED, "La convention est résiliée : elle ne change plus."),
        )
        for case in FROZEN
        if case.kind != "follow-up"
    ],
)
def test_a_refusal_on_a_signed_or_terminated_convention_says_why(
    client, nord_convention, caf_admin, case, frozen_status, reason
):
    args, data = case.build(nord_convention)
    Convention.objects.filter(pk=nord_convention.pk).update(status=frozen_status)
    client.force_login(caf_admin)

    response = getattr(client, case.method)(reverse(case.url_name, args=args), data or {})

    assert response.status_code == 403
    assert reason in response.content.decode()


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
@pytest.mark.parametrize("signed", [False, True], ids=["draft", "signed: 404 before the refusal of a signed text"])
def test_child_of_another_convention_gets_404(
    client, request, demo, nord_convention, caf_admin, url_name, method, child, signed
):
    obj = child(demo["yvelines-aubergenville-2024"])
    if signed:
        request.getfixturevalue("nord_signature")
    client.force_login(caf_admin)

    response = getattr(client, method)(reverse(url_name, args=[nord_convention.pk, obj.pk]), {})

    assert response.status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("signed", [False, True], ids=["draft", "signed: 404 before the refusal of a signed text"])
def test_deleting_a_row_of_another_convention_gets_404(client, request, demo, nord_convention, caf_admin, signed):
    row = demo["yvelines-aubergenville-2024"].steering_bodies.first()
    if signed:
        request.getfixturevalue("nord_signature")
    client.force_login(caf_admin)

    response = client.post(reverse("row_delete", args=[nord_convention.pk, "instances", row.pk]))

    assert response.status_code == 404
    assert SteeringBody.objects.filter(pk=row.pk).exists()
