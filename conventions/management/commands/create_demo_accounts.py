from django.core.management.base import BaseCommand

from conventions.demo_accounts import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (un par rôle, Caf et collectivité) et affiche leurs identifiants."

    def handle(self, *args, **options):
        accounts = create_demo_accounts()
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        for user in accounts:
            role = "superutilisateur" if user.is_superuser else user.get_role_display()
            self.stdout.write(f"  {user.username:<40} {role:<40} {user.last_name}")
