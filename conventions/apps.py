from django.apps import AppConfig, apps


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions"

    def ready(self):
        from conventions import prerendering

        # Every installed model: the plans app's fiches actions are parts of a convention too.
        prerendering.connect(apps.get_models())
