"""The rendering caches' files, in Django's default storage (a folder, or S3 in production)."""

import json
import uuid

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


def entry_name(folder, key):
    return f"{folder}/{key}.json"


def store_with_entry(folder, key, content, **fields):
    """`content` under a name of its own first, then the entry naming it (with `fields`), unless
    one exists: a process killed while writing leaves no entry, and two processes storing the same
    key never delete or overwrite each other's files. An entry, once written, never changes.
    Returns the content's name."""
    name = write(f"{folder}/{key}-{uuid.uuid4().hex[:12]}.pdf", content)
    if not exists(entry_name(folder, key)):
        write(entry_name(folder, key), json.dumps({"pdf": name, **fields}).encode())
    return name


def read_entry(folder, key):
    """The entry stored under `key` (a dict whose "pdf" names the content), or None when there is
    none or it cannot be read."""
    try:
        entry = json.loads(read(entry_name(folder, key)))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and "pdf" in entry else None


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
