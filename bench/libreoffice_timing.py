"""LibreOffice converting ../shared/perf/make_doc.py's DOCX to PDF, timed for pdf_speed.py's
comparison (the case (d) of ../shared/perf/compare.sh: one profile reused, warm)."""

import importlib.util
import shutil
import statistics
import subprocess
import sys
import time


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
