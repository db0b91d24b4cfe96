"""The rendering caches' files, in Django's default storage (a folder, or S3 in production)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def read(path):
    with default_storage.open(path) as file:
        return file.read()


def write(path, content):
    """Stores `content` and returns the name it was stored under (the storage picks another name
    rather than overwrite a file of the same name)."""
    return default_storage.save(path, ContentFile(content))


def exists(path):
    return default_storage.exists(path)
