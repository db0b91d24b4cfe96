"""Helper processes that lay parts out beside the process rendering, on the machine's other cores.

WeasyPrint lays a document out on one core. The worker that pre-renders PDFs (`manage.py
db_worker`) starts `settings.PDF_LAYOUT_HELPERS` helpers (none by default: on the 2-core reference
machine one helper made whole renders 1.2-1.8x faster for 140-160 MiB more memory, and an edit,
which lays out one part, hardly faster); a render then shares the parts it has to lay out between
itself and them (`lay_out_all`). A process that started none, a web process for instance, lays its
parts out itself, one after the other. A helper that dies or fails costs nothing but time: its
parts are laid out here.

Helpers are started by the "forkserver" method, not forked from the worker: a forked child would
share the worker's database connection and its threads' locks. Each helper sets Django and the
renderer up once, when it starts. This module imports nothing of the project at import time: a
helper imports it before Django is set up."""

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

logger = logging.getLogger(__name__)


class Helpers:
    """The helpers this process started, if any."""

    pool = None
    count = 0


def start_helpers(count):
    """Start `count` helpers (0: none) and wait until each one's renderer is set up, so that the
    first render after a worker starts does not pay for it."""
    stop_helpers()
    if count < 1:
        return
    Helpers.pool = ProcessPoolExecutor(
        max_workers=count, mp_context=multiprocessing.get_context("forkserver"), initializer=set_up_helper
    )
    Helpers.count = count
    for future in [Helpers.pool.submit(helper_is_ready) for _ in range(count)]:
        future.result()


def stop_helpers():
    if Helpers.pool is not None:
        Helpers.pool.shutdown(wait=True, cancel_futures=True)
    Helpers.pool, Helpers.count = None, 0


def set_up_helper():
    import django

    django.setup()

    from .pdf import use_render_thresholds, warm_up

    warm_up()
    use_render_thresholds()  # a helper only renders


def helper_is_ready():
    return True


def lay_out_all(lay_out, jobs, weights):
    """`[lay_out(*job) for job in jobs]`, the jobs shared between this process and the helpers
    by their `weights` (a part's length: the heaviest first, each to the least loaded process).
    `lay_out` must be a module-level function: it is sent to the helpers by name."""
    pool = Helpers.pool
    if pool is None or len(jobs) < 2:
        return [lay_out(*job) for job in jobs]
    here, *elsewhere = share_out(weights, Helpers.count + 1)
    futures = {index: submitted(pool, lay_out, jobs[index]) for lane in elsewhere for index in lane}
    results = {index: lay_out(*jobs[index]) for index in here}
    for index, future in futures.items():
        results[index] = result_or_laid_out_here(future, lay_out, jobs[index], pool)
    return [results[index] for index in range(len(jobs))]


def submitted(pool, lay_out, job):
    """The future of `lay_out(*job)` in a helper, or None if the helpers are gone."""
    try:
        return pool.submit(lay_out, *job)
    except RuntimeError:  # BrokenProcessPool, or a pool shut down
        helpers_lost(pool)
        return None


def result_or_laid_out_here(future, lay_out, job, pool):
    """The helper's result; when a helper died, or failed on this part, the part is laid out
    here (a part WeasyPrint cannot lay out then fails here, with this process's traceback)."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            helpers_lost(pool)
        except Exception:
            logger.exception("A PDF layout helper failed on a part: it is laid out by the worker itself.")
    return lay_out(*job)


def helpers_lost(pool):
    """A helper died (killed, out of memory): the worker goes on alone until it restarts."""
    if pool is Helpers.pool:
        logger.error("A PDF layout helper stopped: the worker lays parts out alone until it restarts.")
        stop_helpers()


def share_out(weights, lanes):
    """Indices of `weights` in `lanes` lists of close total weight: the heaviest first, each to
    the lightest lane (the first lane on a tie)."""
    shares, loads = [[] for _ in range(lanes)], [0] * lanes
    for index in sorted(range(len(weights)), key=lambda index: -weights[index]):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += weights[index]
    return shares
