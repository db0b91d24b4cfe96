"""A délibération's PDF carries the prefecture's ACTES identifier: what was typed must agree."""

import datetime

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conventions.forms import DeliberationForm

pytestmark = pytest.mark.django_db

ACTES = "059-215900176-20230209-DE23027-DE"


def stamped_pdf(text):
    return weasyprint.HTML(string=f"<p>Accusé de réception en préfecture</p><p>{text}</p>").write_pdf()


def form_for(convention, pdf, name="deliberation.pdf", **typed):
    armentieres = convention.collectivites().get(name="Armentières")
    data = {"collectivite": armentieres.pk, "number": "DE23027", "date": "2023-02-09", **typed}
    files = {"file": SimpleUploadedFile(name, pdf, content_type="application/pdf")}
    return DeliberationForm(data, files, convention=convention)


def test_a_pdf_stamped_with_the_typed_act_is_accepted_and_its_identifier_recorded(nord_convention):
    form = form_for(nord_convention, stamped_pdf(ACTES))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["actes_identifier"] == ACTES


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ({"date": "2023-02-10"}, "date 09/02/2023"),
        ({"number": "DE23028"}, "numéro DE23027"),
    ],
    ids=["another date", "another number"],
)
def test_a_mismatch_with_the_stamp_is_shown(nord_convention, typed, shown):
    form = form_for(nord_convention, stamped_pdf(ACTES), **typed)
    assert not form.is_valid()
    assert shown in " ".join(form.non_field_errors())


def test_the_siren_of_the_stamp_must_be_the_collectivites(nord_convention):
    other = ACTES.replace("215900176", "200040442")
    form = form_for(nord_convention, stamped_pdf(other))
    assert "SIREN 200040442" in " ".join(form.non_field_errors())


def test_the_identifier_is_also_read_from_the_file_name(nord_convention):
    name = "99_DE-059-215900176-20230209-DE23027-DE-1-1_1.pdf"
    form = form_for(nord_convention, stamped_pdf("Délibération"), name=name, date="2023-03-01")
    assert not form.is_valid()
    assert "date 09/02/2023" in " ".join(form.non_field_errors())


def test_a_pdf_without_identifier_is_taken_as_typed(nord_convention):
    form = form_for(nord_convention, stamped_pdf("Délibération du conseil municipal"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == datetime.date(2023, 2, 9)


def test_a_deliberation_dated_after_today_is_refused_in_french(nord_convention):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = form_for(nord_convention, stamped_pdf("Délibération"), date=tomorrow.isoformat())

    assert not form.is_valid()
    assert "ne peut pas être datée après aujourd'hui" in " ".join(form.errors["date"])
