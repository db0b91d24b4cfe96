"""A délibération's PDF carries the prefecture's ACTES identifier: what was typed must agree. Once
uploaded, it is downloaded from its annex by whoever reads the convention."""

import datetime

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conventions.forms import DeliberationForm
from conventions.models import AnnexKind, Role
from tests.conventions.factories import UserFactory

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
    assert "SIREN 200040442 (celui d'Armentières : " in " ".join(form.non_field_errors())


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


def test_a_typed_identifier_must_name_the_deliberation_typed(nord_convention):
    form = form_for(nord_convention, stamped_pdf("Délibération"), date="2023-02-10", actes_identifier=ACTES)

    assert not form.is_valid()
    assert form.errors["actes_identifier"] == [
        "Cet identifiant ACTES désigne un autre acte : date 09/02/2023 (saisie : 10/02/2023)."
    ]


def test_a_typed_identifier_of_another_collectivite_is_refused(nord_convention):
    other = ACTES.replace("215900176", "200040442")
    form = form_for(nord_convention, stamped_pdf("Délibération"), actes_identifier=other)

    assert not form.is_valid()
    assert "SIREN 200040442" in form.errors["actes_identifier"][0]


def test_a_deliberation_dated_long_before_the_convention_is_refused_as_a_typing_slip(nord_convention):
    form = form_for(nord_convention, stamped_pdf("Délibération"), date="1850-02-09")

    assert not form.is_valid()
    start = nord_convention.start_date
    assert form.errors["date"] == [
        f"La délibération ne peut pas dater d'avant le 01/01/{start.year - 10}, 10 ans avant le début de la "
        f"convention ({start:%d/%m/%Y}) : vérifiez l'année."
    ]


@pytest.mark.parametrize("field", ["votes_for", "votes_against", "abstentions"])
def test_more_votes_than_a_council_has_members_are_refused_alike_on_every_database(nord_convention, field):
    form = form_for(nord_convention, stamped_pdf("Délibération"), **{field: "5000"})

    assert not form.is_valid()
    assert form.errors[field] == ["Un conseil compte moins de 1 000 membres : vérifiez ce nombre."]


@pytest.fixture
def uploaded(nord_convention, settings, tmp_path):
    """Armentières' délibération, saved with its stamped PDF."""
    settings.MEDIA_ROOT = tmp_path
    pdf = stamped_pdf(ACTES)
    form = form_for(nord_convention, pdf)
    assert form.is_valid(), form.errors
    nord_convention.deliberations.filter(collectivite=form.cleaned_data["collectivite"]).delete()
    form.instance.convention = nord_convention
    return form.save(), pdf


def test_an_uploaded_deliberation_is_downloaded_from_its_annex_by_whoever_reads_the_convention(
    client, commune_user, nord_convention, uploaded
):
    deliberation, pdf = uploaded
    annex = nord_convention.annexes.get(kind=AnnexKind.DELIBERATIONS)
    client.force_login(commune_user)

    page = client.get(reverse("annex_edit", args=[nord_convention.pk, annex.pk])).content.decode()
    url = reverse("row_file", args=[nord_convention.pk, "deliberations", deliberation.pk])
    response = client.get(url)

    assert f'<a href="{url}">Télécharger le PDF' in page
    assert deliberation.file.name not in page
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment")


def test_another_cafs_user_gets_404_for_the_deliberation_file(client, other_caf_staff, nord_convention, uploaded):
    deliberation, _ = uploaded
    client.force_login(other_caf_staff)

    response = client.get(reverse("row_file", args=[nord_convention.pk, "deliberations", deliberation.pk]))

    assert response.status_code == 404


def test_a_row_without_a_file_has_nothing_to_download(client, caf_staff, nord_convention, uploaded):
    deliberation, _ = uploaded
    deliberation.file = ""
    deliberation.save()
    client.force_login(caf_staff)

    response = client.get(reverse("row_file", args=[nord_convention.pk, "deliberations", deliberation.pk]))

    assert response.status_code == 404


def test_a_table_without_files_has_nothing_to_download(client, demo):
    convention = demo["var-le-pradet-2022"]
    equipment = convention.equipments.first()
    client.force_login(UserFactory(role=Role.CAF_STAFF, caf=convention.caf))
    assert client.get(reverse("convention_edit", args=[convention.pk])).status_code == 200

    response = client.get(reverse("row_file", args=[convention.pk, "equipements", equipment.pk]))

    assert response.status_code == 404
