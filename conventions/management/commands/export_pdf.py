from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention
from conventions.rendering.output import render_convention


class Command(BaseCommand):
    help = "Écrit le PDF de conventions dans un dossier (REFERENCE.pdf), ou de toutes avec --all."

    def add_arguments(self, parser):
        parser.add_argument("references", nargs="*")
        parser.add_argument("--all", action="store_true", help="Toutes les conventions.")
        parser.add_argument("-o", "--output", default=".", help="Dossier de destination (créé au besoin).")

    def handle(self, *args, references, all, output, **options):
        if all:
            conventions = list(Convention.objects.order_by("reference"))
        elif references:
            conventions = list(Convention.objects.filter(reference__in=references).order_by("reference"))
            unknown = set(references) - {convention.reference for convention in conventions}
            if unknown:
                raise CommandError(f"Référence(s) inconnue(s) : {', '.join(sorted(unknown))}.")
        else:
            raise CommandError("Donnez au moins une référence, ou --all.")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for convention in conventions:
            rendered = render_convention(convention)
            target = folder / f"{convention.reference}.pdf"
            partial = target.with_suffix(".pdf.part")
            partial.write_bytes(rendered.pdf)
            partial.replace(target)  # never a half-written PDF under the final name
            self.stdout.write(f"{target} ({rendered.page_count} pages)")
        self.stdout.write(f"{len(conventions)} PDF écrit(s) dans {folder}.")
