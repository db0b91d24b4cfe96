"""PDF without waiting (issue 10): how long a convention's PDF takes, and how long a user waits for it.

    .venv/bin/python bench/pdf_speed.py [--runs 5] [--fiches 20,60] [--json] [--skip-fresh]
                                        [--docx-python PATH] [--make-doc PATH] [--lo-grown-only]

Builds its own SQLite database in a temporary folder (render_bench.py's: the five models and demos, plus
copies of the national demo grown to each --fiches count of fiches actions), then, per convention:

- pages, and fresh-process seconds: a new Python process that sets Django up and renders once;
- warm seconds in a long-lived child process, after one warm-up render: the whole `render_convention`
  (cache off: every part laid out); for comparison, building the final HTML, then the layout pass(es)
  and the PDF output of the whole document in a single pass;
- after an edit: the `prerender_pdf` task after an article is saved (the other parts are kept);
- downloads through the real view (test client, logged in as a user of the convention's Caf): cached
  (unchanged convention, 50 requests) and pre-rendered (an article saved, the `prerender_pdf` task run,
  then the first download), p50 / p95.

Then seconds per added fiche (slope between the smallest and largest grown copies), the real worker
(`manage.py db_worker`) rendering every convention in one batch (peak RSS), the delay between a save of
the 20-fiche copy (else the smallest grown one) and its PDF being current with the worker running,
and, when `soffice` is on PATH, LibreOffice converting `../shared/perf/make_doc.py`'s DOCX of the same
number of fiches (warm profile).
"""

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import render_bench
from libreoffice_timing import find_docx_python, measure_libreoffice
from render_bench import ROOT, prepare, setup_django
from worker_timing import measure_ready_after_save, measure_worker_batch, rss_mib

DEFAULT_MAKE_DOC = ROOT.parent / "shared" / "perf" / "make_doc.py"
DOWNLOADS = 50  # cached downloads timed per convention


def grown_reference(fiches):
    return f"national-2025-demo-{fiches}-fiches"


def grow_national_demo_to(fiches):
    """render_bench.grow_national_demo, for any number of fiches actions."""
    saved = render_bench.GROWN_REFERENCE, render_bench.GROWN_FICHES
    render_bench.GROWN_REFERENCE, render_bench.GROWN_FICHES = grown_reference(fiches), fiches
    try:
        render_bench.grow_national_demo()
    finally:
        render_bench.GROWN_REFERENCE, render_bench.GROWN_FICHES = saved


def build_database(data_dir, sizes):
    """The demo conventions and one grown copy per size; returns (demo references, grown references)."""
    from conventions.models import Convention

    prepare(data_dir)  # also grows the 20-fiche copy
    demos = list(
        Convention.objects.exclude(reference=render_bench.GROWN_REFERENCE)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    if render_bench.GROWN_FICHES not in sizes:
        Convention.objects.filter(reference=render_bench.GROWN_REFERENCE).delete()
    for fiches in sizes:
        if fiches != render_bench.GROWN_FICHES:
            grow_national_demo_to(fiches)
    return demos, [grown_reference(fiches) for fiches in sizes]


def fiche_count(reference):
    from plans.models import ActionSheet

    return ActionSheet.objects.filter(axis__convention__reference=reference).count()


def percentile(values, q):
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds):
    return round(1000 * seconds, 1)


# ---------------------------------------------------------------- in child processes


def render_once(reference):
    """--fresh: what the parent times is this whole process (interpreter, Django, one render)."""
    from conventions.models import Convention
    from conventions.rendering.output import render_convention

    render_convention(Convention.objects.get(reference=reference), use_cache=False, preview=False)


def caf_client(convention):
    from django.test import Client

    from conventions.models import Role, User

    user, _ = User.objects.get_or_create(
        username=f"bench-caf-{convention.caf_id}", defaults={"role": Role.CAF_STAFF, "caf": convention.caf}
    )
    client = Client()
    client.force_login(user)
    return client


def timed_get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    assert response.content.startswith(b"%PDF"), "not a PDF"
    return elapsed, response


def measure_warm(reference, runs):
    """--one: warm figures and downloads of one convention, measured in this long-lived process."""
    from django.conf import settings
    from django.urls import reverse

    from conventions.models import Convention, PdfRendition, WorkerHeartbeat
    from conventions.rendering import pdf as pdf_module
    from conventions.rendering.document import build_document
    from conventions.rendering.helpers import start_helpers
    from conventions.rendering.output import (
        MAX_LAYOUT_PASSES,
        document_html,
        pages_before_the_annexes,
        pdf_options,
        render_convention,
        with_page_count,
    )
    from conventions.rendering.values import PAGE_COUNT_TOKEN
    from conventions.tasks import prerender_pdf

    convention = Convention.objects.get(reference=reference)
    start_helpers(settings.PDF_LAYOUT_HELPERS)  # as the worker does
    warm_up = render_convention(convention, use_cache=False, preview=False)
    pages = warm_up.page_count

    full, alone, prepare_html, layout, output, passes = [], [], [], [], [], []
    for _ in range(runs):  # interleaved, so that no measure profits from another's warm caches
        gc.collect()  # no measure pays for another's garbage
        start = time.perf_counter()
        rendered = render_convention(convention, use_cache=False, preview=False)
        full.append(time.perf_counter() - start)
        pages = rendered.page_count

        if settings.PDF_LAYOUT_HELPERS:
            # The same, in this process alone, as a process that started no helper (a web process).
            gc.collect()
            with helpers_detached():
                start = time.perf_counter()
                render_convention(convention, use_cache=False, preview=False)
                alone.append(time.perf_counter() - start)

        # For comparison, the whole document in a single pass (as the archived signed copy is
        # laid out, and drafts were before they were laid out by parts), timed step by step.
        gc.collect()
        start = time.perf_counter()
        html = document_html(build_document(convention), for_pdf=True)
        prepare_html.append(time.perf_counter() - start)
        guess, layout_seconds, count = warm_up.quoted_pages, 0.0, 0
        with pdf_module.young_collections_only():  # as produce_pdf
            for _ in range(MAX_LAYOUT_PASSES):
                start = time.perf_counter()
                document = pdf_module.layout(with_page_count(html, guess))
                layout_seconds += time.perf_counter() - start
                count += 1
                quoted = pages_before_the_annexes(document)
                if PAGE_COUNT_TOKEN not in html or quoted == guess:
                    break
                guess = quoted
            layout.append(layout_seconds)
            passes.append(count)
            start = time.perf_counter()
            document.write_pdf(**pdf_options(document, archival=False))
            output.append(time.perf_counter() - start)

    # No worker runs beside this process: a pre-render the database build queued, or one an earlier
    # child ran less than a minute ago, must not make the download wait for one ("en préparation").
    PdfRendition.objects.filter(pk=convention.pk).update(queued=False, render_started_at=None)
    WorkerHeartbeat.objects.all().delete()
    client = caf_client(convention)
    url = reverse("convention_pdf", args=[convention.pk])
    timed_get(client, url)  # renders and records the rendition: later downloads are served as stored
    cached = [timed_get(client, url)[0] for _ in range(DOWNLOADS)]

    # Pre-rendered: what the worker does after a save, then the user's first download.
    article = convention.articles.filter(editable=True).order_by("position").first()
    prerendered, prerender_seconds, etags = [], [], set()
    for _ in range(max(runs, 5)):
        article.text += " x"
        article.save()
        gc.collect()
        start = time.perf_counter()
        prerender_pdf.call(convention.pk)
        prerender_seconds.append(time.perf_counter() - start)
        assert PdfRendition.objects.get(pk=convention.pk).is_current, "the task left the PDF not current"
        elapsed, response = timed_get(client, url)
        prerendered.append(elapsed)
        etags.add(response["ETag"])
    assert len(etags) == len(prerendered), "a save did not change the PDF's key"

    return {
        "reference": reference,
        "fiches": fiche_count(reference),
        "pages": pages,
        "layout_helpers": settings.PDF_LAYOUT_HELPERS,
        "warm_s": round(statistics.median(full), 3),
        "warm_alone_s": round(statistics.median(alone), 3) if alone else None,
        "warm_prepare_html_s": round(statistics.median(prepare_html), 3),
        "warm_layout_s": round(statistics.median(layout), 3),
        "layout_passes": max(passes),
        "warm_pdf_output_s": round(statistics.median(output), 3),
        "cached_download_p50_ms": ms(percentile(cached, 50)),
        "cached_download_p95_ms": ms(percentile(cached, 95)),
        "prerender_task_s": round(statistics.median(prerender_seconds), 3),
        "prerendered_download_p50_ms": ms(percentile(prerendered, 50)),
        "prerendered_download_p95_ms": ms(percentile(prerendered, 95)),
        "prerendered_downloads": len(prerendered),
        "child_peak_rss_mib": round(rss_mib(resource.getrusage(resource.RUSAGE_SELF)), 1),
    }


@contextlib.contextmanager
def helpers_detached():
    """The helpers kept running but not used: the render lays every part out in this process."""
    from conventions.rendering.helpers import Helpers

    pool, count = Helpers.pool, Helpers.count
    Helpers.pool, Helpers.count = None, 0
    try:
        yield
    finally:
        Helpers.pool, Helpers.count = pool, count


# ---------------------------------------------------------------- in the parent


def run_child(arguments, folder):
    child = subprocess.run(
        [sys.executable, __file__, *arguments, "--data-dir", folder], capture_output=True, text=True, cwd=ROOT
    )
    if child.returncode:
        sys.exit(f"{' '.join(arguments)}: failed\n{child.stderr[-3000:]}")
    return child.stdout


def measure_fresh(reference, runs, folder):
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        run_child(["--fresh", reference], folder)
        seconds.append(time.perf_counter() - start)
    return round(statistics.median(seconds), 3)


# ---------------------------------------------------------------- targets and output


def check(label, value, ok):
    """One target: value shown beside it, met (True/False) or not measured (None)."""
    return {"target": label, "value": value, "met": None if value is None else ok}


def targets(report, sizes):
    rows = {row["reference"]: row for row in report["conventions"]}
    smallest, largest = min(sizes), max(sizes)
    twenty = rows.get(grown_reference(20))
    sixty = rows.get(grown_reference(60))
    result = [
        check(
            "national demo, 20 fiches, warm ≤ 0.9 s", twenty and twenty["warm_s"], twenty and twenty["warm_s"] <= 0.9
        ),
        check(
            "20 fiches ≥ 1.5× faster than LibreOffice warm (LibreOffice / ours)",
            twenty and twenty["lo_ratio"],
            twenty and twenty["lo_ratio"] and twenty["lo_ratio"] >= 1.5,
        ),
        check(
            "60 fiches ≤ LibreOffice warm (LibreOffice / ours ≥ 1)",
            sixty and sixty["lo_ratio"],
            sixty and sixty["lo_ratio"] and sixty["lo_ratio"] >= 1,
        ),
        check(
            f"≤ 12 ms per added fiche ({smallest} → {largest} fiches, ms)",
            report["ms_per_added_fiche"],
            report["ms_per_added_fiche"] is not None and report["ms_per_added_fiche"] <= 12,
        ),
    ]
    for kind in ("cached", "prerendered"):
        p50 = max(row[f"{kind}_download_p50_ms"] for row in report["conventions"])
        p95 = max(row[f"{kind}_download_p95_ms"] for row in report["conventions"])
        label = "cached" if kind == "cached" else "pre-rendered"
        result.append(
            check(
                f"{label} download ≤ 20 ms p50 and ≤ 50 ms p95 (worst, ms)", f"{p50} / {p95}", p50 <= 20 and p95 <= 50
            )
        )
    ready = report["ready_after_save"]
    result.append(
        check(
            "pre-rendered PDF ready ≤ 2 s after a save, worker running (median s)",
            ready["median_s"],
            ready["median_s"] <= 2,
        )
    )
    batch = report["worker_batch"]
    peaks = [batch["peak_rss_mib"] + batch["children_peak_rss_mib"]]
    if ready["worker_peak_rss_mib"] is not None:
        peaks.append(ready["worker_peak_rss_mib"] + ready["children_peak_rss_mib"])
    result.append(
        check("worker peak RSS ≤ 250 MiB (with its child processes)", round(max(peaks), 1), max(peaks) <= 250)
    )
    return result


def font_subsetting():
    """Which library WeasyPrint subsets the fonts of each PDF with: HarfBuzz when Debian's
    libharfbuzz-subset0 is installed (as .ci/run and the deploy docs install it), else fontTools,
    which made the PDF output of a part up to twice slower (2026-12-01): figures measured without it
    are not comparable."""
    try:  # WeasyPrint's own check (weasyprint/pdf/fonts.py), on names it does not publish
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except ImportError:
        return "unknown (this WeasyPrint no longer tells)"
    if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        return "HarfBuzz"
    return "fontTools (libharfbuzz-subset0 missing: PDF output slower, figures not comparable)"


def mark(met):
    return {True: "✓", False: "✗", None: "–"}[met]


def print_table(report):
    lo = report["libreoffice"]
    lo_state = lo["version"] if lo["available"] else f"not measured, {lo['reason']}"
    print(
        f"{report['cores']} cores, Python {report['python']}, WeasyPrint {report['weasyprint']}, "
        f"--runs {report['runs']}, layout helpers: {report['layout_helpers']}; LibreOffice: {lo_state}; "
        f"font subsetting: {report['font_subsetting']}"
    )
    print()
    columns = (
        ("reference", "reference"),
        ("fiches", "fiches"),
        ("pages", "pages"),
        ("fresh_s", "fresh s"),
        ("warm_s", "warm s"),
        ("warm_alone_s", "alone s"),
        ("prerender_task_s", "after an edit s"),
        ("warm_prepare_html_s", "html s"),
        ("warm_layout_s", "1 pass: layout s"),
        ("layout_passes", "passes"),
        ("warm_pdf_output_s", "1 pass: pdf out s"),
        ("cached", "cached p50/p95 ms"),
        ("prerendered", "pre-rendered p50/p95 ms"),
        ("lo_pages", "LO pages"),
        ("lo_warm_s", "LO warm s"),
        ("lo_ratio", "LO / ours"),
    )
    print("|" + "|".join(title for _, title in columns) + "|")
    print("|" + "|".join("---" for _ in columns) + "|")
    for row in report["conventions"]:
        cells = dict(row)
        cells["cached"] = f"{row['cached_download_p50_ms']} / {row['cached_download_p95_ms']}"
        cells["prerendered"] = f"{row['prerendered_download_p50_ms']} / {row['prerendered_download_p95_ms']}"
        print("|" + "|".join("–" if cells[key] is None else str(cells[key]) for key, _ in columns) + "|")
    print()
    if report["ms_per_added_fiche"] is not None:
        print(f"Per added fiche (warm, {report['slope_between']}): {report['ms_per_added_fiche']} ms")
    batch = report["worker_batch"]
    print(
        f"Worker (db_worker --batch), {batch['renders']} pre-renders: {batch['seconds']} s in all "
        f"(median task {batch['task_run_median_s']} s), peak RSS {batch['peak_rss_mib']} MiB, "
        f"its child processes {batch['children_peak_rss_mib']} MiB"
    )
    ready = report["ready_after_save"]
    print(
        f"Pre-rendered PDF ready after a save of {ready['reference']}, worker running: median {ready['median_s']} s, "
        f"max {ready['max_s']} s over {ready['saves']} saves "
        f"(first save after the worker started: {ready['first_save_s']} s; "
        f"task waited {ready['task_wait_median_s']} s, ran {ready['task_run_median_s']} s; "
        f"worker peak RSS {ready['worker_peak_rss_mib']} MiB, "
        f"its child processes {ready['children_peak_rss_mib']} MiB)"
    )
    print()
    print("|target|value|met|")
    print("|---|---|---|")
    for target in report["targets"]:
        value = "not measured" if target["value"] is None else target["value"]
        print(f"|{target['target']}|{value}|{mark(target['met'])}|")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure (default 5)")
    parser.add_argument("--fiches", default="20,60", help="sizes of the grown national demo (default 20,60)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--skip-fresh", action="store_true", help="do not time fresh processes")
    parser.add_argument("--docx-python", help="a Python with python-docx, to run make_doc.py")
    parser.add_argument("--make-doc", type=Path, default=DEFAULT_MAKE_DOC, help="LibreOffice comparison's make_doc.py")
    parser.add_argument(
        "--lo-grown-only", action="store_true", help="LibreOffice only for the grown sizes, not every fiche count"
    )
    parser.add_argument(
        "--layout-helpers",
        type=int,
        default=0,
        help="PDF_LAYOUT_HELPERS for the renders and the worker (default 0, the project's default)",
    )
    parser.add_argument("--fresh", help=argparse.SUPPRESS)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    if args.fresh or args.one:  # a child: PDF_LAYOUT_HELPERS comes from the parent's environment
        setup_django(Path(args.data_dir))
        if args.fresh:
            render_once(args.fresh)
        else:
            print(json.dumps(measure_warm(args.one, args.runs)))
        return

    os.environ["PDF_LAYOUT_HELPERS"] = str(args.layout_helpers)  # read by the settings, here and in every child
    sizes = sorted({int(size) for size in args.fiches.split(",")})
    with tempfile.TemporaryDirectory(prefix="ctg-pdf-speed-") as folder:
        data_dir = Path(folder)
        setup_django(data_dir)
        demos, grown = build_database(data_dir, sizes)
        import weasyprint

        rows = []
        for reference in demos + grown:
            print(f"measuring {reference}…", file=sys.stderr, flush=True)
            fresh = None if args.skip_fresh else measure_fresh(reference, args.runs, folder)
            row = json.loads(run_child(["--one", reference, "--runs", str(args.runs)], folder).splitlines()[-1])
            row["fresh_s"] = fresh
            rows.append(row)

        print("worker: batch, then saves with the worker running…", file=sys.stderr, flush=True)
        worker_batch = measure_worker_batch(demos + grown, data_dir)
        ready_reference = grown_reference(20) if 20 in sizes else grown[0]
        ready = measure_ready_after_save(ready_reference, max(args.runs, 5), data_dir)

        print("LibreOffice…", file=sys.stderr, flush=True)
        lo_sizes = sizes if args.lo_grown_only else sorted({row["fiches"] for row in rows})
        docx_python = find_docx_python(args.docx_python)
        libreoffice = measure_libreoffice(lo_sizes, args.runs, docx_python, args.make_doc.resolve(), data_dir)

    lo_by_fiches = {size["fiches"]: size for size in libreoffice["sizes"]}
    for row in rows:
        lo = lo_by_fiches.get(row["fiches"])
        row["lo_pages"] = lo and lo["pages"]
        row["lo_warm_s"] = lo and lo["warm_s"]
        row["lo_ratio"] = lo and round(lo["warm_s"] / row["warm_s"], 2)
    by_reference = {row["reference"]: row for row in rows}
    small, large = by_reference[grown[0]], by_reference[grown[-1]]
    slope = None
    if large["fiches"] > small["fiches"]:
        slope = round(1000 * (large["warm_s"] - small["warm_s"]) / (large["fiches"] - small["fiches"]), 1)
    report = {
        "runs": args.runs,
        "cores": os.cpu_count(),
        "layout_helpers": args.layout_helpers,
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "font_subsetting": font_subsetting(),
        "conventions": rows,
        "ms_per_added_fiche": slope,
        "slope_between": f"{small['fiches']} → {large['fiches']} fiches",
        "worker_batch": worker_batch,
        "ready_after_save": ready,
        "libreoffice": libreoffice,
    }
    report["targets"] = targets(report, sizes)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
