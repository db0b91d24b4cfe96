from django.db import models, transaction


class EditConflict(Exception):
    """Someone saved the record since it was opened: `current` is what they saved."""

    def __init__(self, current):
        super().__init__("modifié entre-temps")
        self.current = current


class Versioned(models.Model):
    """Optimistic locking: a form carries the version it was opened at, and a save from a stale
    version is refused rather than overwriting what someone else saved meanwhile."""

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_unchanged(self, opened_version):
        """Save, unless the record changed since `opened_version`; then raise EditConflict with the
        saved record. The compare-and-set is one UPDATE, so it holds on SQLite and PostgreSQL."""
        with transaction.atomic():
            claimed = type(self).objects.filter(pk=self.pk, version=opened_version).update(version=opened_version + 1)
            if not claimed:
                raise EditConflict(type(self).objects.get(pk=self.pk))
            self.version = opened_version + 1
            self.save()
