"""Files to import into a plan, and the import page's URL, as the import tests send and read them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def csv_file(text, name="fiches.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def fiches_csv(nord_convention, *rows):
    axis = nord_convention.axes.order_by("position").first().title
    lines = ["Axe;Action;Public cible;Indicateurs d'évaluation"]
    lines += [";".join([axis if cell == "AXE" else cell for cell in row]) for row in rows]
    return "\n".join(lines)


def url(convention, kind="fiches-actions"):
    return reverse("import_file", args=[convention.pk, kind])


def preview_then_apply(client, convention, upload, kind="fiches-actions"):
    preview = client.post(url(convention, kind), {"file": upload})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    return client.post(url(convention, kind), {"token": preview.context["token"]})


def problems(response):
    return response.context["report"].problems
