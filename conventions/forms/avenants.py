from django import forms

from conventions.models import Avenant, AvenantChange, AvenantRepresentative
from conventions.rendering.text import normalise_newlines

from .convention import DATE_WIDGET
from .sections import check_table_slot
from .signatories import BaseRepresentativeFormSet, representative_formset
from .versioning import VersionedForm


class ChangeForm(VersionedForm):
    """The new text of an article or annex rewritten by an avenant. When the change is outdated, it
    carries the text in force shown to the user, taken up when the form is saved."""

    taken_up = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AvenantChange
        fields = ["new_text"]
        widgets = {"new_text": forms.Textarea(attrs={"rows": 20, "class": "font-monospace"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_outdated:
            self.initial["taken_up"] = self.instance.text_in_force_digest

    def clean_new_text(self):
        return check_table_slot(normalise_newlines(self.cleaned_data["new_text"]), self.instance.section)

    def take_up_text_in_force(self):
        """Take up the text in force the user was shown, if any: False when it changed again since."""
        seen = self.cleaned_data["taken_up"]
        return not seen or self.instance.take_up_text_in_force(seen)


class ProlongationForm(forms.ModelForm):
    """The convention's new end date, which the avenant sets once signed; empty, it prolongs nothing."""

    class Meta:
        model = Avenant
        fields = ["new_end_date"]
        widgets = {"new_end_date": DATE_WIDGET}

    def clean_new_end_date(self):
        new_end_date = self.cleaned_data["new_end_date"]
        if new_end_date:
            errors = self.instance.prolongation_errors(new_end_date)
            if errors:
                raise forms.ValidationError(errors)
        return new_end_date

    def save(self, commit=True):
        """`Avenant.prolong_until`: the new date, written against the convention's end date as it is now."""
        if commit:
            self.instance.prolong_until(self.cleaned_data["new_end_date"])
        return self.instance


class BaseAvenantRepresentativeFormSet(BaseRepresentativeFormSet):
    """The people who sign the avenant for one party (`signatory`)."""

    def __init__(self, *args, signatory, **kwargs):
        self.signatory = signatory
        super().__init__(*args, queryset=AvenantRepresentative.objects.filter(signatory=signatory), **kwargs)

    def save_new(self, form, commit=True):
        form.instance.signatory = self.signatory
        return super().save_new(form, commit)


AvenantRepresentativeFormSet = representative_formset(
    Avenant, AvenantRepresentative, formset=BaseAvenantRepresentativeFormSet
)
