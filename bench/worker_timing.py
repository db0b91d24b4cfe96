"""The real PDF worker (`manage.py db_worker`) timed from outside, for pdf_speed.py: a batch of
pre-renders with its peak memory, and the delay between a save and its PDF being current."""

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from render_bench import ROOT

READY_TIMEOUT_S = 120  # a pre-render taking longer than this is reported as failed
POLL_S = 0.02


def rss_mib(usage):
    return usage.ru_maxrss / 1024  # KiB on Linux


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
