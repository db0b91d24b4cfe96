import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conventions.rendering.output import prune_cache


class Command(BaseCommand):
    help = (
        "Supprime du cache les PDF et les parties de PDF écrits il y a plus de --days jours, "
        "sauf le PDF actuel de chaque convention (ils sont refaits au besoin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Âge minimum, en jours (30 par défaut).")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days doit valoir au moins 1.")
        deleted, freed = prune_cache(timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"{deleted} fichier(s) du cache supprimé(s), {freed / 1_000_000:.1f} Mo libérés.")
