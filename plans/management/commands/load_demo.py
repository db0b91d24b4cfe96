from django.core.management.base import BaseCommand

from plans.loading import load_all_demo_conventions


class Command(BaseCommand):
    # Lives in `plans` because a demo convention includes its plan d'actions, and `plans` may
    # import `conventions` but not the reverse.
    help = "Charge (ou recharge) les conventions de démonstration décrites dans fixtures/demo/."

    def handle(self, *args, **options):
        conventions = load_all_demo_conventions()
        for convention in conventions:
            self.stdout.write(f"- {convention.reference} : {convention.title}")
        self.stdout.write(f"{len(conventions)} conventions de démonstration chargées.")
