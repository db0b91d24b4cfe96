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
import importlib.util
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import render_bench
from render_bench import ROOT, prepare, setup_django

DEFAULT_MAKE_DOC = ROOT.parent / "shared" / "perf" / "make_doc.py"
DOWNLOADS = 50  # cached downloads timed per convention
READY_TIMEOUT_S = 120  # a pre-render taking longer than this is reported as failed
POLL_S = 0.02


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
        pdf_options,
        render_convention,
        with_page_count,
    )
    from conventions.rendering.values import PAGE_COUNT_TOKEN
    from conventions.tasks import prerender_pdf

    convention = Convention.objects.get(reference=reference)
    start_helpers(settings.PDF_LAYOUT_HELPERS)  # as the worker does
    pages = render_convention(convention, use_cache=False, preview=False).page_count  # warm-up

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
        guess, layout_seconds, count = pages, 0.0, 0
        with pdf_module.young_collections_only():  # as produce_pdf
            for _ in range(MAX_LAYOUT_PASSES):
                start = time.perf_counter()
                document = pdf_module.layout(with_page_count(html, guess))
                layout_seconds += time.perf_counter() - start
                count += 1
                if PAGE_COUNT_TOKEN not in html or len(document.pages) == guess:
                    break
                guess = len(document.pages)
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


def rss_mib(usage):
    return usage.ru_maxrss / 1024  # KiB on Linux


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


def worker_command(*, batch):
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--interval", "0.1"]
    return [*command, "--no-startup-delay", "--batch"] if batch else [*command, "--no-startup-delay"]


def wait_child(process, timeout=None):
    """Wait for the child (killed after `timeout` seconds) and return its own resource usage: the
    peak RSS of this process only, not of every child this script waited for."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage
        if time.monotonic() > deadline:
            process.kill()
            deadline = None
        else:
            time.sleep(0.05)


class DescendantsPeak(threading.Thread):
    """The peak RSS (VmHWM) of each process started under `pid` (the worker's layout helpers and
    the forkserver that starts them, when it starts any; short-lived tools such as ldconfig, which
    ctypes runs to find a library), read from /proc every 50 ms until stopped. wait4 gives the
    worker's own peak only: the helpers are not its direct children."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peaks, self.done = pid, {}, threading.Event()

    def run(self):
        while not self.done.wait(0.05):
            for pid in descendants(self.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))

    def stop(self):
        """Stops sampling; returns the sum of the descendants' peaks, in MiB (at most what they
        held together)."""
        self.done.set()
        self.join()
        return round(sum(self.peaks.values()) / 1024, 1)


def descendants(root):
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def clear_queue():
    from django_tasks_db.models import DBTaskResult

    from conventions.models import PdfRendition

    DBTaskResult.objects.all().delete()
    PdfRendition.objects.update(queued=False)


def measure_worker_batch(references, data_dir):
    """Every convention changed (so one pre-render each is enqueued), then the real worker in batch
    mode: it renders them all and exits. The stored PDFs and parts are dropped first, so that each
    task lays its whole document out instead of finding it, or its parts, in the caches (the page-count
    hints are kept)."""
    from django.core.files.storage import default_storage
    from django_tasks_db.models import DBTaskResult

    from conventions.models import Convention, PdfRendition
    from conventions.prerendering import content_changed
    from conventions.rendering.output import CACHE_FOLDER
    from conventions.rendering.parts import PART_FOLDER

    clear_queue()
    for folder in (CACHE_FOLDER, PART_FOLDER):
        for name in default_storage.listdir(folder)[1] if default_storage.exists(folder) else []:
            if not name.startswith("shape-"):
                default_storage.delete(f"{folder}/{name}")
    ids = [Convention.objects.get(reference=reference).pk for reference in references]
    for convention_id in ids:
        content_changed(convention_id)  # outside a transaction: enqueued at once
    log_path = data_dir / "worker-batch.log"
    with log_path.open("w") as log:
        start = time.perf_counter()
        process = subprocess.Popen(worker_command(batch=True), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        children = DescendantsPeak(process.pid)
        children.start()
        usage = wait_child(process)
        elapsed = time.perf_counter() - start
        children_peak = children.stop()
    if process.returncode:
        sys.exit(f"db_worker --batch failed ({process.returncode})\n{log_path.read_text()[-3000:]}")
    succeeded = list(DBTaskResult.objects.filter(status="SUCCESSFUL"))
    runs = [(task.finished_at - task.started_at).total_seconds() for task in succeeded]
    current = sum(rendition.is_current for rendition in PdfRendition.objects.filter(pk__in=ids))
    if current != len(ids):
        sys.exit(f"db_worker --batch left {len(ids) - current} PDF(s) not current\n{log_path.read_text()[-3000:]}")
    return {
        "renders": len(ids),
        "tasks_succeeded": len(succeeded),
        "seconds": round(elapsed, 2),
        "task_run_median_s": round(statistics.median(runs), 2) if runs else None,
        "peak_rss_mib": round(rss_mib(usage), 1),
        "children_peak_rss_mib": children_peak,
    }


def measure_ready_after_save(reference, saves, data_dir):
    """The worker running in the background; an article saved in a transaction here: seconds from
    its commit to its convention's PDF being current, the first save made once the worker polls its
    queue. The first save is reported apart: it shows what the worker's start left to its first task."""
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from conventions.models import Convention, PdfRendition

    clear_queue()
    convention = Convention.objects.get(reference=reference)
    article = convention.articles.filter(editable=True).order_by("position").first()
    log_path = data_dir / "worker.log"
    started = timezone.now()
    delays, commits = [], []
    with log_path.open("w") as log:
        process = subprocess.Popen(worker_command(batch=False), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        children = DescendantsPeak(process.pid)
        children.start()
        try:
            wait_for_worker_start(process, log_path)
            for _ in range(saves + 1):
                with transaction.atomic():
                    # Registered first, so it runs first: the moment of the commit, before the enqueue.
                    transaction.on_commit(lambda: commits.append(time.perf_counter()))
                    article.text += " x"
                    article.save()
                while not PdfRendition.objects.get(pk=convention.pk).is_current:
                    if process.poll() is not None:
                        sys.exit(f"db_worker stopped ({process.returncode})\n{log_path.read_text()[-3000:]}")
                    if time.perf_counter() - commits[-1] > READY_TIMEOUT_S:
                        sys.exit(f"PDF not current {READY_TIMEOUT_S} s after a save\n{log_path.read_text()[-3000:]}")
                    time.sleep(POLL_S)
                delays.append(time.perf_counter() - commits[-1])
        finally:
            usage = None
            if process.poll() is None:
                process.terminate()  # SIGTERM: the worker stops gracefully between tasks
                usage = wait_child(process, timeout=60)
            children_peak = children.stop()
    tasks = list(DBTaskResult.objects.filter(enqueued_at__gte=started, status="SUCCESSFUL").order_by("enqueued_at"))
    waits = [(task.started_at - task.enqueued_at).total_seconds() for task in tasks[1:]]
    renders = [(task.finished_at - task.started_at).total_seconds() for task in tasks[1:]]
    return {
        "reference": reference,
        "saves": saves,
        "first_save_s": round(delays[0], 2),
        "median_s": round(statistics.median(delays[1:]), 2),
        "max_s": round(max(delays[1:]), 2),
        "task_wait_median_s": round(statistics.median(waits), 2) if waits else None,
        "task_run_median_s": round(statistics.median(renders), 2) if renders else None,
        "worker_peak_rss_mib": round(rss_mib(usage), 1) if usage else None,
        "children_peak_rss_mib": children_peak,
    }


def wait_for_worker_start(process, log_path):
    """Until the worker polls its queue, as a worker started before anyone saves does."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while "Starting worker" not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"db_worker did not start ({process.returncode})\n{log_path.read_text()[-3000:]}")
        time.sleep(POLL_S)


def find_docx_python(option):
    if option:
        return option
    return sys.executable if importlib.util.find_spec("docx") else None


def pdf_pages(path):
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def measure_libreoffice(sizes, runs, docx_python, make_doc, work_dir):
    """LibreOffice converting make_doc.py's DOCX of each size: one warm-up conversion, then the
    median of `runs`, one profile reused throughout (compare.sh's case (d))."""
    soffice = shutil.which("soffice")
    reasons = []
    if not soffice:
        reasons.append("soffice not on PATH (apt-get install -y libreoffice-writer-nogui)")
    if not make_doc.is_file():
        reasons.append(f"{make_doc} not found (--make-doc)")
    if not docx_python:
        reasons.append("no Python with python-docx to run make_doc.py (--docx-python)")
    if reasons:
        return {"available": False, "reason": "; ".join(reasons), "sizes": []}
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    profile = work_dir / "lo-profile"
    results = []
    for fiches in sizes:
        folder = work_dir / f"lo-{fiches}"
        made = subprocess.run(
            [docx_python, str(make_doc), "--fiches", str(fiches), "--out", str(folder)], capture_output=True, text=True
        )
        if made.returncode:
            return {"available": False, "reason": f"make_doc.py failed: {made.stderr[-500:]}", "sizes": []}
        command = [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            f"-env:UserInstallation=file://{profile}",
            "--outdir",
            str(folder),
            str(folder / "doc.docx"),
        ]
        pdf = folder / "doc.pdf"
        seconds = []
        for run in range(runs + 1):  # the first is the warm-up
            pdf.unlink(missing_ok=True)
            start = time.perf_counter()
            converted = subprocess.run(command, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if converted.returncode or not pdf.is_file():
                return {"available": False, "reason": f"soffice failed: {converted.stderr[-500:]}", "sizes": []}
            if run:
                seconds.append(elapsed)
        results.append({"fiches": fiches, "pages": pdf_pages(pdf), "warm_s": round(statistics.median(seconds), 3)})
    return {"available": True, "version": version, "sizes": results}


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
    result.append(check("worker peak RSS ≤ 250 MiB (with its child processes)", max(peaks), max(peaks) <= 250))
    return result


def mark(met):
    return {True: "✓", False: "✗", None: "–"}[met]


def print_table(report):
    lo = report["libreoffice"]
    lo_state = lo["version"] if lo["available"] else f"not measured, {lo['reason']}"
    print(
        f"{report['cores']} cores, Python {report['python']}, WeasyPrint {report['weasyprint']}, "
        f"--runs {report['runs']}, layout helpers: {report['layout_helpers']}; LibreOffice: {lo_state}"
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
