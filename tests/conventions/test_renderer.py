"""The warm renderer (issue 10): what a render leaves behind in the process, and what it reads."""

import gc

import pytest
import tinycss2
from django.contrib.staticfiles import finders

from conventions.rendering import output
from conventions.rendering.output import produce_pdf
from conventions.rendering.pdf import PRINT_STYLESHEET

DOCUMENT = "<html lang='fr'><body><h1>Convention</h1><p>Article premier.</p></body></html>"


def test_the_garbage_collector_is_paused_while_a_pdf_is_laid_out_and_running_afterwards(monkeypatch):
    collector_during_layout = []
    real_layout = output.layout

    def spying_layout(html):
        collector_during_layout.append(gc.isenabled())
        return real_layout(html)

    monkeypatch.setattr(output, "layout", spying_layout)
    pdf, page_count = produce_pdf(DOCUMENT)

    assert pdf.startswith(b"%PDF") and page_count == 1
    assert collector_during_layout == [False]
    assert gc.isenabled()


def test_a_failed_render_leaves_the_garbage_collector_running(monkeypatch):
    def failing_layout(html):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(output, "layout", failing_layout)
    with pytest.raises(RuntimeError):
        produce_pdf(DOCUMENT)

    assert gc.isenabled()


def test_the_pdf_stylesheet_holds_no_screen_styles():
    with open(finders.find(PRINT_STYLESHEET), encoding="utf-8") as file:
        rules = tinycss2.parse_stylesheet(file.read(), skip_comments=True, skip_whitespace=True)

    media_rules = [rule for rule in rules if rule.type == "at-rule" and rule.lower_at_keyword == "media"]
    assert media_rules == []
