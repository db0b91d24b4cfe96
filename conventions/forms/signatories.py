from django import forms

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


RepresentativeFormSet = forms.inlineformset_factory(
    Signatory,
    SignatoryRepresentative,
    fields=["civility", "first_name", "last_name", "function", "signature_title", "acting"],
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
    formset=BaseRepresentativeFormSet,
)
