from django import forms

from plans import ao
from plans.models import ActionSheet, AOCompetence, Axis, FollowUp, PlacesProjection


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


class PlacesProjectionForm(forms.ModelForm):
    """One line of the projection table, with one number per year of the convention."""

    class Meta:
        model = PlacesProjection
        fields = [
            "collectivite",
            "mode",
            "current",
            "jobs_and_skills_needs",
            "other_needs",
            "investment_type",
            "investment_cost_and_calendar",
            "investment_engineering",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "jobs_and_skills_needs",
                "other_needs",
                "investment_type",
                "investment_cost_and_calendar",
                "investment_engineering",
            )
        }

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        self.fields["collectivite"].queryset = convention.collectivites().filter(kind__in=["commune", "epci"])
        self.year_fields = []
        for year in convention.years:
            name = f"year_{year}"
            self.fields[name] = forms.DecimalField(
                label=str(year), required=False, min_value=0, max_digits=8, decimal_places=1
            )
            self.fields[name].initial = (self.instance.by_year or {}).get(str(year))
            self.year_fields.append(name)

    def clean(self):
        cleaned = super().clean()
        self.instance.by_year = {
            name.removeprefix("year_"): float(cleaned[name])
            for name in self.year_fields
            if cleaned.get(name) is not None
        }
        return cleaned


class BaseProjectionFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, convention, **kwargs):
        self.convention = convention
        kwargs.setdefault(
            "queryset", PlacesProjection.objects.filter(convention=convention).select_related("collectivite")
        )
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "convention": self.convention}


ProjectionFormSet = forms.modelformset_factory(
    PlacesProjection, form=PlacesProjectionForm, formset=BaseProjectionFormSet, extra=1, can_delete=True
)
