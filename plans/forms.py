from django import forms

from conventions.forms.versioning import VersionedForm
from plans import ao
from plans.models import ActionSheet, AOCompetence, Axis, FollowUp, PlacesProjection


class AxisForm(forms.ModelForm):
    class Meta:
        model = Axis
        fields = ["title"]
        labels = {"title": "Intitulé de l'axe (commence par un verbe)"}


def action_sheet_form_class(convention):
    """A form with exactly the fields of the convention's model grid, and the version it was opened
    at: a save over someone else's meanwhile is refused."""
    from plans.models import ACTION_GRIDS

    fields = ["title", *ACTION_GRIDS[convention.template.action_grid]]
    widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields if name not in ("title", "start", "end")}
    return forms.modelform_factory(ActionSheet, form=VersionedForm, fields=fields, widgets=widgets)


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


class NoRepeatedLinesFormSet(forms.BaseModelFormSet):
    """A table of the convention where a line's `line_fields` appear once at most.

    The database enforces this with a unique constraint that includes the convention, which is not
    a form field, so Django's own formset check skips it: without this one, a repeated line would
    reach the database and fail there.
    """

    line_fields = ()

    def kept_forms(self):
        """The forms whose line will be in the table once saved (filled in and not deleted)."""
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]

    def repeated_line_errors(self):
        """One message per line that repeats another line of the table, saved or being added."""
        # Saved lines the formset does not show (were any missing from the post) still count.
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        columns = [self.model._meta.get_field(name).attname for name in self.line_fields]
        saved = self.model.objects.filter(convention=self.convention).exclude(pk__in=shown)
        seen = set(saved.values_list(*columns))
        errors = []
        for form in self.kept_forms():
            key = tuple(getattr(form.cleaned_data[name], "pk", form.cleaned_data[name]) for name in self.line_fields)
            if key in seen:
                errors.append(f"Cette ligne existe déjà : {form.instance}.")
            seen.add(key)
        return errors


class BaseAOTableFormSet(NoRepeatedLinesFormSet):
    """The whole AO table: saved only when, as a whole, it keeps the population rules and names each
    competence of a collectivité once."""

    line_fields = ("collectivite", "competence")

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
        kept = [(form.cleaned_data["collectivite"].pk, form.cleaned_data["competence"]) for form in self.kept_forms()]
        communes = {c.pk: (c.name, c.population) for c in self.convention.collectivites().filter(kind="commune")}
        errors = self.repeated_line_errors() + ao.table_breaches(kept, communes)
        if errors:
            raise forms.ValidationError(errors)


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


class BaseProjectionFormSet(NoRepeatedLinesFormSet):
    """The projection table: one line per AO and mode d'accueil."""

    line_fields = ("collectivite", "mode")

    def __init__(self, *args, convention, **kwargs):
        self.convention = convention
        kwargs.setdefault(
            "queryset", PlacesProjection.objects.filter(convention=convention).select_related("collectivite")
        )
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "convention": self.convention}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        errors = self.repeated_line_errors()
        if errors:
            raise forms.ValidationError(errors)


ProjectionFormSet = forms.modelformset_factory(
    PlacesProjection, form=PlacesProjectionForm, formset=BaseProjectionFormSet, extra=1, can_delete=True
)
