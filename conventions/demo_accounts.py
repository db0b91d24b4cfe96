"""Demo accounts: a Caf administrator and a Caf staff member per Caf that has conventions, a
commune user per collectivité signatory, and a superuser. For the demo only."""

from django.utils.text import slugify

from conventions.models import Caf, Collectivite, Role, User
from conventions.wording import with_de

DEMO_PASSWORD = "demo-ctg-2026"


def create_demo_accounts(password=DEMO_PASSWORD):
    accounts = [_account("admin", "Administrateur de la plateforme", password, is_superuser=True, is_staff=True)]
    for caf in Caf.objects.filter(conventions__isnull=False).distinct():
        accounts.append(
            _account(f"admin-caf{caf.code}", f"Administrateur {caf.name}", password, role=Role.CAF_ADMIN, caf=caf)
        )
        accounts.append(
            _account(
                f"agent-caf{caf.code}", f"Conseiller territorial {caf.name}", password, role=Role.CAF_STAFF, caf=caf
            )
        )
    for collectivite in Collectivite.objects.filter(signatures__isnull=False).distinct():
        managed_by = collectivite.signatures.select_related("convention__caf").first().convention.caf
        accounts.append(
            _account(
                f"cc-{slugify(collectivite.name)}"[:150],
                f"Chargé(e) de coopération {with_de(collectivite.designation)}",
                password,
                role=Role.COMMUNE,
                collectivite=collectivite,
                caf=managed_by,
            )
        )
    return accounts


def _account(username, description, password, **fields):
    user, _ = User.objects.update_or_create(username=username, defaults={"last_name": description, **fields})
    user.set_password(password)
    user.save()
    return user
