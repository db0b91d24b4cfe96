"""Bilans assembled from the quarterly follow-up, as HTML and PDF."""

import datetime
from io import BytesIO
from types import SimpleNamespace

import lxml.html
import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans.models import ActionSheet, FollowUp
from plans.reports import build_report, report_period
from tests.conventions.rendering_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def action(nord_convention, commune_user):
    action = (
        ActionSheet.objects.filter(axis__convention=nord_convention).order_by("axis__position", "position").first()
    )
    FollowUp.objects.create(action=action, period="2023-10-01", status="in_progress", progress=30, author=commune_user)
    FollowUp.objects.create(
        action=action, period="2024-07-01", status="done", progress=100, comment="Relais ouvert.", author=commune_user
    )
    return action


def test_an_annual_report_takes_the_latest_update_of_that_year(nord_convention, action):
    report = build_report(nord_convention, "annuel", 2023)
    assert (report.start, report.end) == (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    first = report.axes[0].actions[0]
    assert (first.title, first.latest.progress) == (action.title, 30)


def test_the_final_report_takes_the_latest_update_of_the_whole_convention(nord_convention, action):
    first = build_report(nord_convention, "final").axes[0].actions[0]
    assert (first.latest.status, first.latest.progress) == ("done", 100)
    assert build_report(nord_convention, "final").counts["Réalisée"] == 1


@pytest.mark.parametrize("kind", ["annuel", "intermediaire", "final"])
def test_a_convention_starting_mid_quarter_counts_its_first_quarters_update(nord_convention, commune_user, kind):
    type(nord_convention).objects.filter(pk=nord_convention.pk).update(start_date=datetime.date(2023, 2, 15))
    nord_convention.refresh_from_db()
    action = ActionSheet.objects.filter(axis__convention=nord_convention).order_by("axis__position", "position")[0]
    FollowUp.objects.create(action=action, period="2023-01-01", status="in_progress", progress=40, author=commune_user)

    report = build_report(nord_convention, kind, 2023 if kind == "annuel" else None)

    assert report.axes[0].actions[0].latest.progress == 40


def test_the_mid_term_report_stops_half_way(nord_convention):
    start, end = report_period(nord_convention, "intermediaire")
    assert start == nord_convention.start_date
    assert end == datetime.date(2024, 12, 31)


@pytest.mark.parametrize(
    ("start", "end", "mid_term_end"),
    [
        (datetime.date(2025, 1, 1), datetime.date(2029, 12, 31), datetime.date(2027, 6, 30)),
        (datetime.date(2023, 1, 1), datetime.date(2026, 12, 31), datetime.date(2024, 12, 31)),
        (datetime.date(2024, 2, 15), datetime.date(2027, 12, 31), datetime.date(2025, 12, 31)),
        (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31), datetime.date(2022, 6, 30)),
    ],
)
def test_the_mid_term_report_ends_with_the_last_whole_quarter_before_half_way(start, end, mid_term_end):
    assert report_period(SimpleNamespace(start_date=start, end_date=end), "intermediaire") == (start, mid_term_end)


def test_a_year_outside_the_convention_has_no_annual_report(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    assert client.get(reverse("report_year", args=[nord_convention.pk, "annuel", 2030])).status_code == 404
    assert client.get(reverse("report", args=[nord_convention.pk, "mensuel"])).status_code == 404


@pytest.mark.parametrize("url_name", ["report_year", "report_year_file"])
@pytest.mark.parametrize("kind", ["intermediaire", "final"])
def test_only_the_annual_report_is_asked_for_a_year(client, caf_staff, nord_convention, url_name, kind):
    client.force_login(caf_staff)
    extra = ["pdf"] if url_name == "report_year_file" else []

    response = client.get(reverse(url_name, args=[nord_convention.pk, kind, 2024, *extra]))

    assert response.status_code == 404


def test_the_final_report_as_a_page_and_as_a_pdf(client, caf_staff, nord_convention, action):
    client.force_login(caf_staff)
    page = client.get(reverse("report", args=[nord_convention.pk, "final"])).content.decode()
    assert "Bilan final" in page and "Relais ouvert." in page
    response = client.get(reverse("report_file", args=[nord_convention.pk, "final", "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Bilan final" in text and "Relais ouvert." in text and action.title in text


def test_the_report_writes_the_indicator_the_french_way(client, caf_staff, nord_convention, action):
    FollowUp.objects.filter(action=action).update(indicator_value=1000, indicator_target=12.5)
    client.force_login(caf_staff)

    page = client.get(reverse("report", args=[nord_convention.pk, "final"])).content.decode()

    assert "1\u202f000 / 12,5" in page


def test_another_commune_gets_404_on_a_report(client, other_commune_user, nord_convention):
    client.force_login(other_commune_user)
    assert client.get(reverse("report", args=[nord_convention.pk, "final"])).status_code == 404


def test_the_report_pdf_is_tagged_with_bookmarks_for_screen_readers(client, caf_staff, nord_convention, action):
    client.force_login(caf_staff)

    response = client.get(reverse("report_file", args=[nord_convention.pk, "final", "pdf"]))

    reader = PdfReader(BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "fr"
    title, under_it = reader.outline[:2]
    assert (title.title, under_it[0].title) == ("Bilan final", "Synthèse")


def test_each_table_of_the_report_is_named_by_its_heading(client, caf_staff, nord_convention, action):
    client.force_login(caf_staff)

    page = lxml.html.fromstring(client.get(reverse("report", args=[nord_convention.pk, "final"])).content)

    tables = page.findall(".//table")
    assert len(tables) >= 2
    for table in tables:
        assert page.get_element_by_id(table.get("aria-labelledby")).text_content().strip()
