from django import forms
from django.db.models import Max

from conventions.models import Signatory, SignatoryRepresentative


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["alias"]


class BaseRepresentativeFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        **forms.BaseInlineFormSet.default_error_messages,
        "too_few_forms": "Chaque signataire a au moins un représentant.",
    }

    def save_new(self, form, commit=True):
        """A representative added is named last, after those already there (the blank row is the
        last of the page)."""
        last = self.instance.representatives.aggregate(Max("position"))["position__max"] or 0
        form.instance.position = last + 1
        return super().save_new(form, commit)


def representative_formset(parent_model, model, formset=BaseRepresentativeFormSet):
    """The people who sign for a party, on the page of what they sign for: at least one, and a
    blank row to add one."""
    return forms.inlineformset_factory(
        parent_model,
        model,
        fields=["civility", "first_name", "last_name", "function", "signature_title", "acting"],
        extra=1,
        min_num=1,
        validate_min=True,
        can_delete=True,
        formset=formset,
    )


RepresentativeFormSet = representative_formset(Signatory, SignatoryRepresentative)
