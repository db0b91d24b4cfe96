from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    """What a user may do (DESIGN §2)."""

    CAF_ADMIN = "caf_admin", "Administrateur Caf"
    CAF_STAFF = "caf_staff", "Conseiller territorial Caf"
    COMMUNE = "commune", "Chargé de coopération (collectivité)"


class User(AbstractUser):
    role = models.CharField("rôle", max_length=20, choices=Role.choices, blank=True)
    caf = models.ForeignKey(
        "conventions.Caf", on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name="Caf"
    )
    collectivite = models.ForeignKey(
        "conventions.Collectivite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="collectivité",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    @property
    def is_caf_user(self):
        return self.role in (Role.CAF_ADMIN, Role.CAF_STAFF)

    @property
    def is_commune_user(self):
        return self.role == Role.COMMUNE

    def clean(self):
        super().clean()
        if self.is_caf_user and not self.caf_id:
            raise ValidationError({"caf": "Un utilisateur de Caf doit être rattaché à sa Caf."})
        if self.is_commune_user and not self.collectivite_id:
            raise ValidationError({"collectivite": "Un chargé de coopération doit être rattaché à sa collectivité."})
