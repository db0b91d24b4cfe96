from import_export import resources

from plans.models import ActionSheet


class ActionSheetResource(resources.ModelResource):
    class Meta:
        model = ActionSheet
        fields = (
            "id",
            "axis__convention__reference",
            "axis__title",
            "position",
            "title",
            "initial_diagnosis",
            "target_public",
            "operational_objectives",
            "implementation",
            "deadlines",
            "services_and_leads",
            "expected_results",
            "partners",
            "indicators",
            "ao_specifics",
        )
        clean_model_instances = True
