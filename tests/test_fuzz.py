"""Whatever is typed or uploaded: no server error, and a refused input changes nothing."""

import os
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conventions.models import Convention
from plans.models import ActionSheet

pytestmark = pytest.mark.django_db
# FUZZ_EXAMPLES=400 for a longer search than the suite's.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80)
date_like = st.one_of(st.dates().map(str), text)


@FUZZ
@given(title=text, territory=text, start=date_like, end=date_like, place=text)
def test_the_information_form_never_fails_and_a_refusal_changes_nothing(
    client, caf_staff, nord_convention, title, territory, start, end, place
):
    client.force_login(caf_staff)
    before = Convention.objects.values().get(pk=nord_convention.pk)
    data = {"title": title, "territory": territory, "start_date": start, "end_date": end, "signature_place": place}
    response = client.post(reverse("convention_info", args=[nord_convention.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Convention.objects.values().get(pk=nord_convention.pk) == before


csv_cell = st.text(alphabet=string.printable + "éèàçœ€«»;", max_size=30)


@FUZZ
@given(
    header=st.lists(
        st.sampled_from(["Axe", "Action", "Ordre", "Public cible", "Couleur", ""]), min_size=1, max_size=5
    ),
    rows=st.lists(st.lists(csv_cell, min_size=1, max_size=5), max_size=4),
)
def test_an_import_never_fails_and_a_refused_file_applies_nothing(client, commune_user, nord_convention, header, rows):
    client.force_login(commune_user)
    content = "\n".join([";".join(header)] + [";".join(row) for row in rows]).encode()
    before = ActionSheet.objects.filter(axis__convention=nord_convention).count()
    upload = SimpleUploadedFile("fiches.csv", content, content_type="text/csv")
    response = client.post(reverse("import_file", args=[nord_convention.pk, "fiches-actions"]), {"file": upload})
    assert response.status_code in (200, 422)
    assert ActionSheet.objects.filter(axis__convention=nord_convention).count() == before  # a preview applies nothing
