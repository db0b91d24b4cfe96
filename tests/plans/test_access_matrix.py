"""The children of another convention (axes, fiches actions) answer 404 through this one's URLs.
Who reaches each page of the plan and who fills it, role by role, is the matrix of
tests/test_authorization_matrix.py."""

import pytest
from django.urls import reverse

from plans.models import ActionSheet, FollowUp

pytestmark = pytest.mark.django_db


def yvelines_axis(demo):
    return demo["yvelines-aubergenville-2024"].axes.order_by("position").first()


def yvelines_action(demo):
    return ActionSheet.objects.filter(axis=yvelines_axis(demo)).order_by("position").first()


@pytest.mark.parametrize(
    ("url_name", "method", "args", "data"),
    [
        pytest.param(
            "action_edit", "get", lambda d: [yvelines_action(d).pk], {}, id="reading another convention's fiche"
        ),
        pytest.param(
            "action_edit",
            "post",
            lambda d: [yvelines_action(d).pk],
            {"title": "x"},
            id="changing another convention's fiche",
        ),
        pytest.param(
            "action_add",
            "get",
            lambda d: [yvelines_axis(d).pk],
            {},
            id="opening a new fiche in another convention's axis",
        ),
        pytest.param(
            "action_add",
            "post",
            lambda d: [yvelines_axis(d).pk],
            {"title": "x"},
            id="adding a fiche to another convention's axis",
        ),
        pytest.param(
            "axis_move",
            "post",
            lambda d: [yvelines_axis(d).pk, "descendre"],
            {},
            id="moving another convention's axis",
        ),
        pytest.param(
            "action_move",
            "post",
            lambda d: [yvelines_action(d).pk, "descendre"],
            {},
            id="moving another convention's fiche",
        ),
        pytest.param(
            "action_delete", "post", lambda d: [yvelines_action(d).pk], {}, id="deleting another convention's fiche"
        ),
        pytest.param(
            "axis_edit",
            "post",
            lambda d: [yvelines_axis(d).pk],
            {"title": "x"},
            id="renaming another convention's axis",
        ),
        pytest.param(
            "axis_delete", "post", lambda d: [yvelines_axis(d).pk], {}, id="deleting another convention's axis"
        ),
        pytest.param(
            "follow_up_add",
            "post",
            lambda d: [yvelines_action(d).pk],
            {"period": "2025-04-01", "status": "in_progress", "progress": "40"},
            id="following up another convention's fiche",
        ),
    ],
)
@pytest.mark.parametrize("signed", [False, True], ids=["draft", "signed: 404 before the refusal of a signed plan"])
def test_child_of_another_convention_gets_404(
    client, request, demo, nord_convention, caf_admin, url_name, method, args, data, signed
):
    if signed:
        request.getfixturevalue("nord_signature")
    client.force_login(caf_admin)
    action = yvelines_action(demo)
    title, position = action.title, action.position
    title_of_axis = yvelines_axis(demo).title

    response = getattr(client, method)(reverse(url_name, args=[nord_convention.pk, *args(demo)]), data)

    assert response.status_code == 404
    action.refresh_from_db()
    assert (action.title, action.position) == (title, position)
    assert not FollowUp.objects.filter(action=action).exists()
    assert yvelines_axis(demo).title == title_of_axis
