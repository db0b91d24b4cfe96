from decimal import Decimal

from django import forms
from django.forms.formsets import ManagementForm
from django.utils.functional import cached_property

from conventions.forms.versioning import VersionedForm
from conventions.wording import french_number
from plans import ao
from plans.models import (
    ActionSheet,
    AOCompetence,
    Axis,
    FollowUp,
    PlacesProjection,
    projected_count_error,
    signatory_communes,
)


class AxisForm(forms.ModelForm):
    class Meta:
        model = Axis
        fields = ["title"]
        labels = {"title": "Intitulé de l'axe (commence par un verbe)"}


def action_sheet_form_class(action):
    """A form with exactly the fields of the fiche action's grid (ActionSheet.grid_fields), and the
    version it was opened at: a save over someone else's meanwhile is refused."""
    fields = ["title", *action.grid_fields]
    widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields if name not in ("title", "start", "end")}
    return forms.modelform_factory(ActionSheet, form=VersionedForm, fields=fields, widgets=widgets)


class FrenchDecimalField(forms.DecimalField):
    """A number as French writes it: « 1 234,5 », its digits grouped by a space (a plain, a
    non-breaking or a narrow one) and a decimal comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())  # str.split() also splits on U+00A0 and U+202F
        return super().to_python(value)


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["period", "status", "progress", "indicator_value", "indicator_target", "comment"]
        # "12,5" as French writes it (a number field of the browser would refuse the comma)
        localized_fields = ["indicator_value", "indicator_target"]
        field_classes = {"indicator_value": FrenchDecimalField, "indicator_target": FrenchDecimalField}
        widgets = {
            "period": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "indicator_value": forms.TextInput(attrs={"inputmode": "decimal"}),
            "indicator_target": forms.TextInput(attrs={"inputmode": "decimal"}),
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


class TableManagementForm(ManagementForm):
    """Django's management form, with the fingerprint of the table the page was opened on."""

    OPENED_TABLE = forms.CharField(widget=forms.HiddenInput)


class WholeTableFormSet(NoRepeatedLinesFormSet):
    """A table of the convention that the Caf and the communes edit as a whole, each from their own
    page: the page carries the fingerprint of the table it was opened on, and a save from a table
    someone changed meanwhile is refused rather than overwriting what they saved."""

    def __init__(self, *args, convention, read_only=False, **kwargs):
        """`read_only`: shown to someone who cannot change it (a signed convention, a reader): the
        saved lines with their fields disabled, without the blank line or the boxes to delete."""
        self.convention = convention
        self.read_only = read_only
        if read_only:
            self.extra, self.can_delete = 0, False
        kwargs.setdefault("queryset", self.saved_lines().select_related("collectivite"))
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.read_only:
            for field in form.fields.values():
                field.disabled = True

    def saved_lines(self):
        return self.model.objects.filter(convention=self.convention)

    @cached_property
    def management_form(self):
        """Django's management form, carrying the fingerprint of the lines the page shows."""
        if self.is_bound:
            form = TableManagementForm(self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer)
            form.full_clean()
            return form
        initial = {
            "TOTAL_FORMS": self.total_form_count(),
            "INITIAL_FORMS": self.initial_form_count(),
            "MIN_NUM_FORMS": self.min_num,
            "MAX_NUM_FORMS": self.max_num,
            "OPENED_TABLE": self.get_queryset().fingerprint(),
        }
        return TableManagementForm(auto_id=self.auto_id, prefix=self.prefix, initial=initial, renderer=self.renderer)

    def changed_since_opened(self):
        """Whether someone saved the table since this page was opened on it. Call it inside the
        transaction that saves: it locks the convention until then, so that two saves of the table
        cannot both pass. A post without a fingerprint is not a conflict: the management form's
        own error refuses it."""
        type(self.convention).objects.select_for_update().values_list("pk", flat=True).get(pk=self.convention.pk)
        management = self.management_form
        return management.is_valid() and management.cleaned_data["OPENED_TABLE"] != self.saved_lines().fingerprint()

    def differences_with_saved(self):
        """(line, field, saved now, sent) for each difference between the table this page sends and
        the one saved now: fields sent differently, lines added or deleted meanwhile, lines the
        user deletes. The page cannot tell what its user typed from what it showed when it was
        opened, so the conflict page shows the table saved now and this list, for the user to
        carry their changes over: sending the old page again would undo the other's changes."""
        differences, typed = [], set()
        whole_line = "toute la ligne"
        for form in self.initial_forms:
            line = form.instance
            if not line.pk:
                name = " — ".join(shown(form.fields[field], form[field].data) for field in self.line_fields)
                differences.append((name, whole_line, "supprimée entre-temps", "retirée du formulaire"))
                continue
            typed.add(line.pk)
            if form["DELETE"].data:
                differences.append((str(line), whole_line, "enregistrée", "supprimée"))
                continue
            differences += [
                (
                    str(line),
                    form.fields[name].label,
                    shown(form.fields[name], form[name].initial),
                    shown(form.fields[name], form[name].data),
                )
                for name in form.changed_data
            ]
        differences += [
            (str(line), whole_line, "ajoutée entre-temps", "reprise dans le formulaire telle qu'enregistrée")
            for line in self.get_queryset()
            if line.pk not in typed
        ]
        return differences


def shown(field, value):
    """A value of `field` as the page shows it: a choice by its label, a number the French way,
    nothing as a dash."""
    if value in (None, ""):
        return "—"
    try:
        value = field.to_python(value)
    except forms.ValidationError:
        return str(value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, int | float | Decimal):
        return french_number(value)
    return str(value)


class BaseAOTableFormSet(WholeTableFormSet):
    """The whole AO table: saved only when, as a whole, it keeps the population rules and names each
    competence of a collectivité once."""

    line_fields = ("collectivite", "competence")

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, convention=convention, **kwargs)
        collectivites = convention.collectivites().filter(kind__in=["commune", "epci"])
        for form in self.forms:
            form.fields["collectivite"].queryset = collectivites
            form.instance.convention = convention

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [(form.cleaned_data["collectivite"].pk, form.cleaned_data["competence"]) for form in self.kept_forms()]
        errors = self.repeated_line_errors() + ao.table_breaches(kept, signatory_communes(self.convention))
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
        for year in convention.projection_years:
            name = f"year_{year}"
            self.fields[name] = forms.DecimalField(
                label=str(year), required=False, min_value=0, max_digits=8, decimal_places=1
            )
            saved = (self.instance.by_year or {}).get(str(year))
            # As the field reads it back, so that an unchanged 12.3 is not taken for a change.
            self.fields[name].initial = None if saved is None else without_useless_zeros(saved)
            self.year_fields.append(name)
        if self.instance.current is not None:
            self.initial["current"] = without_useless_zeros(self.instance.current)

    def clean(self):
        """Each year's count keeps the rule of its line's mode (`projected_count_error`); the model
        checks today's, a field of its own."""
        cleaned = super().clean()
        mode = cleaned.get("mode")
        for name in self.year_fields:
            value = cleaned.get(name)
            if mode and value is not None and (error := projected_count_error(mode, value)):
                self.add_error(name, error)
        self.instance.by_year = {
            name.removeprefix("year_"): json_number(cleaned[name])
            for name in self.year_fields
            if cleaned.get(name) is not None
        }
        return cleaned


def without_useless_zeros(value):
    """A stored count as a form field shows it: 34.0 as « 34 », 1.50 as « 1.5 »."""
    number = Decimal(str(value))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def json_number(value):
    """A number typed in a form as JSON keeps it: 34 stays 34 (not 34.0, which the history would
    tell apart from the 34 saved before), 1.5 stays 1.5."""
    return int(value) if value == value.to_integral_value() else float(value)


class BaseProjectionFormSet(WholeTableFormSet):
    """The projection table: one line per AO and mode d'accueil."""

    line_fields = ("collectivite", "mode")

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
