"""Rendering benchmark: per demo convention, median seconds, pages, peak memory, our overhead over
WeasyPrint alone, and the cached download through the real view.

    .venv/bin/python bench/render_bench.py [--runs 5] [--json]

It builds its own SQLite database in a temporary folder (models, demo, and the national demo grown
to 20 fiches actions), then measures each convention in a fresh child process so that each peak RSS
is that convention's own.
"""

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROWN_REFERENCE = "national-2025-demo-20-fiches"
GROWN_FICHES = 20


def setup_django(data_dir):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctg.settings")
    os.environ["DEBUG"] = "True"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(data_dir / "media")
    import django

    django.setup()


def prepare(data_dir):
    """Migrate, load the models and the demo, and grow a copy of the national demo."""
    from io import StringIO

    from django.core.management import call_command

    for command in ("migrate", "load_models", "load_demo"):
        call_command(command, stdout=StringIO())
    grow_national_demo()


def grow_national_demo():
    import yaml
    from django.db import transaction

    from conventions.models import Convention
    from plans.loading import load_demo
    from plans.models import ActionSheet

    data = yaml.safe_load((ROOT / "fixtures/demo/national-2025-demo.yaml").read_text(encoding="utf-8"))
    data["reference"] = GROWN_REFERENCE
    with transaction.atomic():
        Convention.objects.filter(reference=GROWN_REFERENCE).delete()
        convention = load_demo(data)
        actions = list(ActionSheet.objects.filter(axis__convention=convention).select_related("axis"))
        index = 0
        while ActionSheet.objects.filter(axis__convention=convention).count() < GROWN_FICHES:
            model = actions[index % len(actions)]
            model.pk = None
            model.position = ActionSheet.objects.filter(axis=model.axis).count() + 1
            model.title = f"{model.title} (copie {index + 1})"
            model.save()
            index += 1


def measure_one(reference, runs):
    """Measured in this process: returns a dict of figures for one convention."""
    from django.test import Client
    from django.urls import reverse

    from conventions.models import Convention, User
    from conventions.rendering import pdf as pdf_module
    from conventions.rendering.document import build_document
    from conventions.rendering.output import document_html, produce_pdf, render_convention, with_page_count

    convention = Convention.objects.get(reference=reference)
    render_convention(convention, use_cache=False)  # warm-up: imports, fonts, stylesheet

    quoted = render_convention(convention, use_cache=False, preview=False).quoted_pages
    final_html = with_page_count(document_html(build_document(convention), for_pdf=True), quoted)
    ours, alone = [], []
    for _ in range(runs):  # interleaved, so that neither side profits from the other's warm caches
        gc.collect()  # neither side pays for the other's garbage
        start = time.perf_counter()
        rendered = render_convention(convention, use_cache=False, preview=False)
        ours.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        pdf_module.layout(final_html).write_pdf()
        alone.append(time.perf_counter() - start)

    # A convention never rendered before has no page-count hint: the models that quote their page
    # count then need a second layout pass.
    html = document_html(build_document(convention), for_pdf=True)
    start = time.perf_counter()
    produce_pdf(html)
    first_render = time.perf_counter() - start

    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True, "is_staff": True})
    client = Client()
    client.force_login(user)
    url = reverse("convention_pdf", args=[convention.pk])
    client.get(url)  # fills the cache
    cached = []
    for _ in range(20):
        start = time.perf_counter()
        response = client.get(url)
        cached.append(time.perf_counter() - start)
        assert response.status_code == 200
    etag = response["ETag"]
    not_modified = []
    for _ in range(20):
        start = time.perf_counter()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        not_modified.append(time.perf_counter() - start)
        assert response.status_code == 304

    fiches = sum(axis.actions.count() for axis in convention.axes.all())
    median_ours, median_alone = statistics.median(ours), statistics.median(alone)
    return {
        "reference": reference,
        "pages": rendered.page_count,
        "fiches": fiches,
        "median_s": round(median_ours, 3),
        "first_render_s": round(first_render, 3),
        "weasyprint_alone_s": round(median_alone, 3),
        "overhead_pct": round(100 * (median_ours / median_alone - 1), 1),
        "cached_download_median_ms": round(1000 * statistics.median(cached), 1),
        "cached_download_max_ms": round(1000 * max(cached), 1),
        "not_modified_median_ms": round(1000 * statistics.median(not_modified), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        setup_django(Path(args.data_dir))
        print(json.dumps(measure_one(args.one, args.runs)))
        return

    with tempfile.TemporaryDirectory(prefix="ctg-bench-") as folder:
        data_dir = Path(folder)
        setup_django(data_dir)
        prepare(data_dir)
        from conventions.models import Convention

        references = list(Convention.objects.order_by("reference").values_list("reference", flat=True))
        results = []
        for reference in references:
            child = subprocess.run(
                [sys.executable, __file__, "--one", reference, "--runs", str(args.runs), "--data-dir", folder],
                capture_output=True,
                text=True,
            )
            if child.returncode:
                sys.exit(f"{reference}: measurement failed\n{child.stderr[-3000:]}")
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))

    if args.json:
        print(json.dumps({"runs": args.runs, "cores": os.cpu_count(), "results": results}, indent=2))
        return
    columns = (
        "reference", "fiches", "pages", "median_s", "first_render_s", "weasyprint_alone_s", "overhead_pct",
        "cached_download_median_ms", "not_modified_median_ms", "peak_rss_mb",
    )  # fmt: skip
    print(" | ".join(columns))
    for row in results:
        print(" | ".join(str(row[column]) for column in columns))


if __name__ == "__main__":
    main()
