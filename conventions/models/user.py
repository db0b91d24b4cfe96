from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """What a user may do (DESIGN §2)."""

    CAF_ADMIN = "caf_admin", "Administrateur Caf"
    CAF_STAFF = "caf_staff", "Conseiller territorial Caf"
    COMMUNE = "commune", "Chargé de coopération (collectivité)"


CAF_ROLES = (Role.CAF_ADMIN, Role.CAF_STAFF)


class UserQuerySet(models.QuerySet):
    def administered_by(self, caf):
        """The accounts a Caf administrator manages (DESIGN §2): those of the Caf, its staff and
        administrators and the chargé(e)s de coopération it gave an account (they stay its own when
        their collectivité no longer signs, so it can still close them); and the chargé(e)s without
        a Caf of the collectivités that sign one of its conventions. Never a superuser: the platform
        operator's accounts are the operator's."""
        from .collectivite import Collectivite

        return self.filter(
            models.Q(caf=caf)
            | models.Q(role=Role.COMMUNE, caf=None, collectivite__in=Collectivite.objects.signing_with(caf)),
            is_superuser=False,
        )


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField("rôle", max_length=20, choices=Role.choices, blank=True)
    caf = models.ForeignKey(
        "conventions.Caf",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="Caf",
        help_text="Pour un agent, sa Caf ; pour un chargé de coopération, la Caf qui gère son compte.",
    )
    collectivite = models.ForeignKey(
        "conventions.Collectivite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="collectivité",
    )

    objects = UserManager()
    # Who gave, changed or closed an account (the Caf administration shows it); never the password.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    @property
    def is_caf_user(self):
        return self.role in CAF_ROLES

    @property
    def is_commune_user(self):
        return self.role == Role.COMMUNE

    @property
    def exports_signed_conventions(self):
        """A Caf administrator exports the Caf's signed conventions; the platform operator, those of
        every Caf (DESIGN §2: admins archive and export the signed PDFs)."""
        return self.is_superuser or (self.role == Role.CAF_ADMIN and self.caf_id is not None)

    @property
    def exported_caf(self):
        """The Caf whose signed conventions this user exports; None for every Caf."""
        return None if self.is_superuser else self.caf

    def clean(self):
        super().clean()
        if self.is_caf_user and not self.caf_id:
            raise ValidationError({"caf": "Un utilisateur de Caf doit être rattaché à sa Caf."})
        if self.is_commune_user and not self.collectivite_id:
            raise ValidationError({"collectivite": "Un chargé de coopération doit être rattaché à sa collectivité."})
