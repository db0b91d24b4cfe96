"""What the PDF's accessibility and archival features cost (issue 10: « report what each costs in time »).

    .venv/bin/python bench/pdf_output_costs.py [--runs 5] [--json]

Builds render_bench.py's temporary SQLite database (the five demos and the national demo grown to
20 fiches actions), then, per convention, lays its whole document out once (as the archived signed
copy is laid out) and times, interleaved, N outputs of that same layout:

- `plain`: `write_pdf()` with no option, what WeasyPrint writes by default;
- `tagged`: `pdf_tags=True`, a structure tree in reading order and headings as bookmarks, as every
  draft and preview is written;
- `PDF/A-3b`: the archived signed copy's options (`pdf_options(archival=True)`: PDF/A-3b, tagged,
  dated);
- `seal`: the Caf's PAdES seal (pyHanko) applied to that PDF/A-3b copy, with a self-signed demo
  certificate made for the run; `verify`: checking that seal, as `manage.py verify_pdf` does.

Each figure is the median wall time, with the file's size; the differences between columns are what
each feature costs. The layout itself is the same for every variant and is reported once.
"""

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from render_bench import prepare, setup_django


def timed(function):
    gc.collect()  # no measure pays for another's garbage
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def measure(convention, runs):
    from conventions.rendering import pdf as pdf_module
    from conventions.rendering.document import build_document
    from conventions.rendering.output import document_html, render_convention, with_page_count
    from conventions.seal import seal, seal_status

    rendered = render_convention(convention, use_cache=False, preview=False)  # warm-up, the counts
    pages = rendered.page_count
    html = with_page_count(document_html(build_document(convention), for_pdf=True), rendered.quoted_pages)
    with pdf_module.young_collections_only():  # as produce_pdf
        layout_s, document = timed(lambda: pdf_module.layout(html))
        variants = {
            "plain": lambda: document.write_pdf(),
            "tagged": lambda: document.write_pdf(**pdf_module.pdf_options(document, archival=False)),
            "pdfa": lambda: document.write_pdf(**pdf_module.pdf_options(document, archival=True)),
        }
        times = {name: [] for name in [*variants, "seal", "verify"]}
        sizes = {}
        place = convention.signature_place or "—"
        for _ in range(runs):
            for name, write in variants.items():
                seconds, pdf = timed(write)
                times[name].append(seconds)
                sizes[name] = len(pdf)
            seconds, sealed = timed(lambda pdf=pdf: seal(pdf, convention.caf, reason="Mesure", location=place))
            times["seal"].append(seconds)
            sizes["seal"] = len(sealed)
            seconds, status = timed(lambda sealed=sealed: seal_status(sealed, convention.caf))
            times["verify"].append(seconds)
    row = {"reference": convention.reference, "pages": pages, "layout_s": round(layout_s, 3)}
    for name, values in times.items():
        row[f"{name}_s"] = round(statistics.median(values), 3)
        if name in sizes:
            row[f"{name}_kb"] = round(sizes[name] / 1000)
    row["seal_verified"] = str(status)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ctg-output-costs-") as folder:
        data_dir = Path(folder)
        setup_django(data_dir)
        from django.core.management import call_command

        print("building the database…", file=sys.stderr)
        prepare(data_dir)
        call_command("create_seal_certificates", stdout=sys.stderr)

        from conventions.models import Convention

        rows = []
        for convention in Convention.objects.select_related("caf").order_by("reference"):
            print(f"measuring {convention.reference}…", file=sys.stderr)
            rows.append(measure(convention, options.runs))

    if options.json:
        print(json.dumps({"runs": options.runs, "conventions": rows}, indent=2))
        return
    columns = (
        "reference|pages|layout s|plain s|tagged s|PDF/A-3b s|seal s|verify s|plain KB|tagged KB|PDF/A-3b KB|sealed KB"
    )
    print(f"|{columns}|")
    print("|---" * len(columns.split("|")) + "|")
    for row in rows:
        print(
            f"|{row['reference']}|{row['pages']}|{row['layout_s']}|{row['plain_s']}|{row['tagged_s']}|{row['pdfa_s']}"
            f"|{row['seal_s']}|{row['verify_s']}|{row['plain_kb']}|{row['tagged_kb']}|{row['pdfa_kb']}|{row['seal_kb']}|"
        )
    verdicts = {row["seal_verified"] for row in rows}
    print(f"\nSeal status after sealing, every convention: {', '.join(sorted(verdicts))}")


if __name__ == "__main__":
    main()
