"""An avenant amending a signed convention, as the avenant tests write it, and the files it archives."""

from conventions.avenants import open_change
from conventions.models import Avenant

NEW_SENTENCE = "Le comité de pilotage se réunit deux fois par an à compter de 2025."


def read(document):
    with document.file.open("rb") as file:
        return file.read()


def amend(convention, user, article):
    avenant = Avenant.objects.create_for(convention, user)
    change = open_change(avenant, article)
    change.new_text = f"{article.text}\n\n{NEW_SENTENCE}"
    change.save()
    return avenant
