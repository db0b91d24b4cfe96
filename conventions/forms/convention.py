from django import forms
from django.db.models import Q

from conventions.models import Collectivite, Convention, ConventionTemplate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConventionCreateForm(forms.ModelForm):
    """A new convention from one of the Caf's models (or the national one), for chosen collectivités."""

    collectivites = forms.ModelMultipleChoiceField(
        label="Collectivités signataires",
        queryset=Collectivite.objects.all(),
        help_text="Cherchez les communes et EPCI du territoire, puis ajoutez-les.",
        error_messages={"required": "Choisissez au moins une collectivité signataire."},
    )

    class Meta:
        model = Convention
        fields = ["template", "reference", "title", "territory", "start_date", "end_date", "signature_place"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        labels = {"template": "Modèle"}
        error_messages = {
            "reference": {
                "unique": "Cette référence est déjà prise : choisissez-en une autre, par exemple avec le nom du "
                "territoire et l'année de début."
            }
        }

    def __init__(self, *args, caf, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.caf = caf
        self.fields["template"].queryset = ConventionTemplate.objects.filter(Q(caf=caf) | Q(caf__isnull=True))
        self.fields["template"].empty_label = None
        self.fields["signature_place"].initial = caf.signature_place
        self.fields["reference"].help_text = "Lettres minuscules, chiffres et tirets : « voiron-2026 »."

    def chosen_collectivites(self):
        """The collectivités chosen, in the order they were added (the order they sign in), to
        create their signatories or show them again with the form. A value that names no
        collectivité (the form says so) is left out."""
        values = dict.fromkeys(str(value) for value in self["collectivites"].value() or [])
        pks = [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]
        found = Collectivite.objects.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]


class ConventionInfoForm(forms.ModelForm):
    class Meta:
        model = Convention
        fields = ["title", "territory", "start_date", "end_date", "signature_place"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = not editable


class OptionsForm(forms.Form):
    """The model's options for one convention: a yes/no box or a choice of wordings each."""

    def __init__(self, *args, convention, disabled=False, **kwargs):
        """`disabled`: shown to someone who cannot change them (a commune, a signed convention)."""
        super().__init__(*args, **kwargs)
        self.convention = convention
        current = convention.options or {}
        for option in convention.template.options.all():
            if option.is_boolean:
                field = forms.BooleanField(label=option.label, required=False)
            else:
                field = forms.ChoiceField(
                    label=option.label,
                    choices=[(choice["value"], choice["label"]) for choice in option.choices],
                    widget=forms.RadioSelect,
                )
            field.initial = current.get(option.key, option.default)
            field.help_text = option.guidance
            field.disabled = disabled
            self.fields[option.key] = field

    def save(self):
        self.convention.options = {**(self.convention.options or {}), **self.cleaned_data}
        self.convention.save(update_fields=["options", "updated_at"])
        return self.convention
