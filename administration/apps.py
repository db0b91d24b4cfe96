from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """A Caf administrator's own screens (DESIGN §2): the Caf's accounts, its record (place of
    signature, representatives) and the options of its models. The platform operator keeps /admin/."""

    name = "administration"
    verbose_name = "Administration des Caf"
