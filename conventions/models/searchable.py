"""Records found by a search that ignores case and accents (conventions/searching.py)."""

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

from conventions.searching import normalize_for_search


class SearchableQuerySet(models.QuerySet):
    """Bulk writes skip `save()`: they fill `search_text` themselves."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.refresh_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if set(fields) & set(self.model.search_sources):
            for obj in objs:
                obj.refresh_search_text()
            fields = [*fields, "search_text"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Searchable(models.Model):
    """A record whose `search_sources` fields are kept, normalised, in `search_text`, the column
    searches compare what the user typed with. It is written on every save (with the fields it
    derives from when a save names its fields), by bulk writes (SearchableQuerySet) and when
    fixtures are loaded (`loaddata` saves raw, without calling `save()`: see the receiver below)."""

    search_sources = ()

    search_text = models.TextField("texte de recherche", blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        self.refresh_search_text()
        if update_fields is not None and set(update_fields) & set(self.search_sources):
            update_fields = [*update_fields, "search_text"]
        super().save(*args, update_fields=update_fields, **kwargs)

    def refresh_search_text(self):
        self.search_text = normalize_for_search(
            " ".join(str(getattr(self, name) or "") for name in self.search_sources)
        )


@receiver(pre_save)
def refresh_search_text_of_loaded_fixture(sender, instance, raw, **kwargs):
    """`loaddata` saves raw: the search text a fixture holds (or lacks) is recomputed."""
    if raw and isinstance(instance, Searchable):
        instance.refresh_search_text()
