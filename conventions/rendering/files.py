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


def files_under(folder):
    """Every file in the folder and its subfolders, by storage name."""
    if not default_storage.exists(folder):
        return
    subfolders, names = default_storage.listdir(folder)
    for name in names:
        yield f"{folder}/{name}"
    for subfolder in subfolders:
        yield from files_under(f"{folder}/{subfolder}")


def prune(folder, *, modified_before, keep):
    """Deletes the files under `folder` last written before `modified_before`, except those in
    `keep`. Returns (files deleted, bytes freed)."""
    deleted = freed = 0
    for name in list(files_under(folder)):
        if name in keep or default_storage.get_modified_time(name) >= modified_before:
            continue
        freed += default_storage.size(name)
        default_storage.delete(name)
        deleted += 1
    return deleted, freed
