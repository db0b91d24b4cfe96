"""The PDF cache does not grow for ever: `prune_pdf_cache` deletes old PDFs and parts, never the PDF a
convention's download is served from."""

import os
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conventions.models import PdfRendition
from conventions.rendering import files, output
from conventions.rendering.parts import PART_FOLDER
from tests.conventions.rendering_helpers import pdf_text

pytestmark = pytest.mark.django_db

FORTY_DAYS = 40 * 24 * 3600


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def age_every_file(folder, seconds):
    long_ago = time.time() - seconds
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (long_ago, long_ago))


def cache_files():
    return set(files.files_under(output.CACHE_FOLDER))


def prune(days):
    out = StringIO()
    call_command("prune_pdf_cache", days=days, stdout=out)
    return out.getvalue()


def test_old_pdfs_and_parts_go_and_each_conventions_current_pdf_stays(client, caf_staff, nord_convention, _media):
    output.render_current(nord_convention.pk)
    before_the_edit = cache_files()
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    article.text += "\n\nPhrase ajoutée."
    article.save()
    current = output.render_current(nord_convention.pk)
    age_every_file(_media, FORTY_DAYS)

    message = prune(days=30)

    assert cache_files() == {output.entry_path(current.key), current.name}
    assert not any(name.startswith(PART_FOLDER) for name in cache_files())
    assert before_the_edit.isdisjoint(cache_files())
    assert "fichier(s) du cache supprimé(s)" in message
    client.force_login(caf_staff)
    response = client.get(reverse("convention_pdf", args=[nord_convention.pk]))
    assert response["Server-Timing"] == 'pdf;desc="cache"'
    assert response.content == current.read()


def test_files_written_within_the_days_kept_are_not_touched(nord_convention, _media):
    output.render_current(nord_convention.pk)
    PdfRendition.objects.filter(pk=nord_convention.pk).update(key="")  # no current PDF to protect
    written = cache_files()

    prune(days=30)

    assert cache_files() == written
    assert written


def test_a_kept_part_whose_pdf_is_gone_is_laid_out_again(nord_convention, _media):
    """A prune running while a render reads the cache can leave an entry naming a deleted file."""
    first = output.render_convention(nord_convention, use_cache=False, preview=False)
    for path in (_media / PART_FOLDER).glob("*.pdf"):
        path.unlink()

    again = output.render_convention(nord_convention, preview=False)

    assert pdf_text(again.pdf) == pdf_text(first.pdf)


def test_less_than_a_day_is_refused_in_french():
    with pytest.raises(CommandError, match="--days doit valoir au moins 1"):
        prune(days=0)
