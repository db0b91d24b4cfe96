import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from conventions.lifecycle import change_status, sign
from conventions.models import Convention, ConventionStatus, User


class Command(BaseCommand):
    help = "Enregistre la signature de toutes les parties d'une convention à une date, et archive son PDF signé."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--date", required=True, help="AAAA-MM-JJ")

    def handle(self, *args, reference, date, **options):
        try:
            when = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"Date illisible : « {date} » (attendu AAAA-MM-JJ).") from None
        convention = Convention.objects.filter(reference=reference).first()
        if convention is None:
            raise CommandError(f"Aucune convention de référence « {reference} ».")
        operator = User.objects.filter(is_superuser=True).order_by("pk").first()
        if operator is None:
            raise CommandError("Il faut un superutilisateur pour signer en ligne de commande.")
        try:
            if convention.status in (ConventionStatus.DRAFT, ConventionStatus.CONSULTATION):
                change_status(convention, ConventionStatus.VALIDATED, operator)
            document = sign(convention, dict.fromkeys(convention.signatories.all(), when), operator)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{reference} signée le {when:%d/%m/%Y} ; PDF archivé, SHA-256 {document.sha256}.")
