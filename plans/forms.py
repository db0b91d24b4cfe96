from django import forms

from plans.models import ActionSheet, Axis, FollowUp


class AxisForm(forms.ModelForm):
    class Meta:
        model = Axis
        fields = ["title"]
        labels = {"title": "Intitulé de l'axe (commence par un verbe)"}


def action_sheet_form_class(convention):
    """A form with exactly the fields of the convention's model grid."""
    from plans.models import ACTION_GRIDS

    fields = ["title", *ACTION_GRIDS[convention.template.action_grid]]
    widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields if name not in ("title", "start", "end")}
    return forms.modelform_factory(ActionSheet, fields=fields, widgets=widgets)


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["period", "status", "progress", "indicator_value", "indicator_target", "comment"]
        widgets = {
            "period": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
