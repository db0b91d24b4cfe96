"""Parts laid out in a helper process beside the worker (issue 10): the same PDF as the worker
laid out alone, and a helper that dies or fails costs only time."""

import os
import signal

import pytest

from conventions.rendering import helpers, parts
from conventions.rendering.document import build_document
from conventions.rendering.helpers import Helpers, share_out, start_helpers, stop_helpers
from conventions.rendering.output import document_html, produce_pdf
from tests.conventions.rendering_helpers import assert_same_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def helper():
    start_helpers(1)
    yield
    stop_helpers()


def national_html(demo):
    return document_html(build_document(demo["national-2025-demo"]), for_pdf=True)


def test_the_heaviest_parts_go_to_different_processes_and_the_loads_stay_close():
    weights = [700, 100, 170, 1270, 130, 30]

    here, helper_share = share_out(weights, 2)

    assert {3, 0} == {here[0], helper_share[0]}
    assert abs(sum(weights[i] for i in here) - sum(weights[i] for i in helper_share)) <= 200
    assert sorted(here + helper_share) == list(range(len(weights)))


def test_with_a_helper_the_worker_lays_out_part_of_the_document_and_the_pdf_is_the_same(demo, helper, layouts):
    html = national_html(demo)

    with_helper, page_count, _ = produce_pdf(html, reuse_parts=False)
    laid_out_by_the_worker = len(layouts)
    stop_helpers()
    layouts.clear()
    alone, alone_page_count, _ = produce_pdf(html, reuse_parts=False)

    assert 0 < laid_out_by_the_worker < len(layouts)
    assert page_count == alone_page_count
    assert_same_document(with_helper, alone)


def test_a_helper_killed_leaves_the_worker_rendering_alone_and_the_pdf_whole(demo, helper, layouts, caplog):
    html = national_html(demo)
    expected, page_count, _ = produce_pdf(html, reuse_parts=False)
    for process in Helpers.pool._processes.values():
        os.kill(process.pid, signal.SIGKILL)
        process.join()
    layouts.clear()

    pdf, killed_page_count, _ = produce_pdf(html, reuse_parts=False)

    assert Helpers.pool is None
    assert "worker lays parts out alone" in caplog.text
    assert killed_page_count == page_count
    assert len(layouts) == len(parts.split_into_parts(html))
    assert_same_document(pdf, expected)


def test_a_part_a_helper_fails_on_is_laid_out_by_the_worker(demo, helper, monkeypatch, caplog):
    html = national_html(demo)
    monkeypatch.setattr(helpers, "submitted", lambda pool, lay_out, job: pool.submit(fail_in_helper, *job))

    pdf, *_ = produce_pdf(html, reuse_parts=False)

    assert "failed on a part" in caplog.text
    assert Helpers.pool is not None  # a part that failed does not stop the helper
    stop_helpers()
    assert_same_document(pdf, produce_pdf(html, reuse_parts=False)[0])


def fail_in_helper(part, numbering):
    raise RuntimeError("layout failed in the helper")
