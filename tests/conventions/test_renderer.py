"""The warm renderer (issue 10): what a render leaves behind in the process, and what it reads."""

import gc

import pytest
import tinycss2
from django.contrib.staticfiles import finders

from conventions.rendering import parts
from conventions.rendering.output import produce_pdf
from conventions.rendering.pdf import COLLECTOR_THRESHOLDS, PRINT_STYLESHEET, RENDER_OLDER_GENERATIONS_THRESHOLD
from tests.conventions.rendering_helpers import pdf_text

DOCUMENT = "<html lang='fr'><body><h1>Convention</h1><p>Article premier.</p></body></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """An empty part cache: each test lays its document out."""
    settings.MEDIA_ROOT = tmp_path


def test_a_render_leaves_the_older_generations_to_after_the_layout_and_restores_the_collector(monkeypatch):
    thresholds_during_layout = []
    real_layout = parts.layout

    def spying_layout(html, **options):
        thresholds_during_layout.append(gc.get_threshold())
        return real_layout(html, **options)

    monkeypatch.setattr(parts, "layout", spying_layout)
    pdf, page_count, _quoted_pages = produce_pdf(DOCUMENT)

    assert pdf.startswith(b"%PDF") and page_count == 1
    young = COLLECTOR_THRESHOLDS[0]
    assert thresholds_during_layout == [
        (young, RENDER_OLDER_GENERATIONS_THRESHOLD, RENDER_OLDER_GENERATIONS_THRESHOLD)
    ]
    assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    assert gc.isenabled()


def test_a_failed_render_restores_the_collector(monkeypatch):
    def failing_layout(html, **options):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(parts, "layout", failing_layout)
    with pytest.raises(RuntimeError):
        produce_pdf(DOCUMENT)

    assert gc.get_threshold() == COLLECTOR_THRESHOLDS


def test_the_pdf_stylesheet_holds_no_screen_styles():
    with open(finders.find(PRINT_STYLESHEET), encoding="utf-8") as file:
        rules = tinycss2.parse_stylesheet(file.read(), skip_comments=True, skip_whitespace=True)

    media_rules = [rule for rule in rules if rule.type == "at-rule" and rule.lower_at_keyword == "media"]
    assert media_rules == []


def test_a_word_longer_than_its_line_breaks_instead_of_running_off_the_page():
    url = "https://www.example.org/" + "parentalite" * 30
    html = "<html lang='fr'><body><table class='grid action-sheet'><colgroup><col class='label'><col></colgroup>"
    html += f"<tr><th scope='row'>Partenaires</th><td>{url}</td></tr></table><p>{url}</p></body></html>"

    pdf, *_ = produce_pdf(html)

    text = "".join(pdf_text(pdf).split())
    assert text.count(url) == 2
