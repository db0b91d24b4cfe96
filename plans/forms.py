from django import forms

from plans import ao
from plans.models import ActionSheet, AOCompetence, Axis, FollowUp


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


class AOCompetenceForm(forms.ModelForm):
    class Meta:
        model = AOCompetence
        fields = ["collectivite", "competence", "exercised_by", "transfer", "transferred_population"]


class BaseAOTableFormSet(forms.BaseModelFormSet):
    """The whole AO table: saved only when, as a whole, it keeps the population rules."""

    def __init__(self, *args, convention, **kwargs):
        self.convention = convention
        kwargs.setdefault(
            "queryset", AOCompetence.objects.filter(convention=convention).select_related("collectivite")
        )
        super().__init__(*args, **kwargs)
        collectivites = convention.collectivites().filter(kind__in=["commune", "epci"])
        for form in self.forms:
            form.fields["collectivite"].queryset = collectivites
            form.instance.convention = convention

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            (form.cleaned_data["collectivite"].pk, form.cleaned_data["competence"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        communes = {c.pk: (c.name, c.population) for c in self.convention.collectivites().filter(kind="commune")}
        breaches = ao.table_breaches(kept, communes)
        if breaches:
            raise forms.ValidationError(breaches)


AOTableFormSet = forms.modelformset_factory(
    AOCompetence, form=AOCompetenceForm, formset=BaseAOTableFormSet, extra=1, can_delete=True
)
