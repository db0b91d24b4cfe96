import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q

from conventions.models import Collectivite, Convention, ConventionTemplate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A primary key fits a bigint: a longer number would make the database refuse the query.
MAX_PK_DIGITS = 18
REFERENCE_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class CollectiviteChoiceField(forms.ModelMultipleChoiceField):
    """Collectivités chosen by id; a value that cannot be one ("abc", an id longer than any database
    integer) is refused as a wrong value before the database is asked (it would fail on the second)."""

    def clean(self, value):
        for pk in value or []:
            if not could_be_an_id(str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)


class ConventionCreateForm(forms.ModelForm):
    """A new convention from one of the Caf's models (or the national one), for chosen collectivités."""

    collectivites = CollectiviteChoiceField(
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
        # A slug may hold "_" and capitals: clean_reference says, alone, what a reference holds.
        reference = self.fields["reference"]
        reference.validators = [check for check in reference.validators if check is not validate_slug]

    def clean_reference(self):
        """A reference is written as the help says, lower-case letters without accents, digits and
        hyphens between them: it names the convention's files and URLs."""
        reference = self.cleaned_data["reference"]
        if not REFERENCE_RE.fullmatch(reference):
            raise forms.ValidationError(
                "Référence invalide : lettres minuscules sans accents, chiffres et tirets entre eux, "
                "par exemple « voiron-2026 »."
            )
        return reference

    @classmethod
    def initial_from(cls, params):
        """The initial values of a form shown again by a GET (the page's collectivité search
        without JavaScript): the fields and the collectivités chosen that `params` carries."""
        initial = {name: params[name] for name in cls.Meta.fields if params.get(name)}
        return initial | {"collectivites": params.getlist("collectivites")}

    def carried_values(self):
        """The (name, value) of each field filled so far, for the collectivité search to send along
        (without JavaScript it reloads the page): the page comes back with them."""
        values = ((name, self[name].value()) for name in self.Meta.fields)
        return [(name, value) for name, value in values if value not in (None, "")]

    def chosen_collectivites(self):
        """The collectivités chosen, in the order they were added (the order they sign in), to
        create their signatories or show them again with the form. A value that names no
        collectivité (the form says so) is left out."""
        return collectivites_in_order(self["collectivites"].value() or [])


class ConventionInfoForm(forms.ModelForm):
    """The general information. New dates that leave out years already filled in the places
    projections are saved only once the user confirms that those years go."""

    drop_projected_years = forms.BooleanField(
        label="Retirer des projections de places les années que ces dates laissent hors de la convention",
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Convention
        fields = ["title", "territory", "start_date", "end_date", "signature_place", "ca_deliberation_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET, "ca_deliberation_date": DATE_WIDGET}

    def __init__(self, *args, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = not editable

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if self.instance.pk is None or not start or not end:
            return cleaned
        left_out = self.instance.projected_years_outside(start, end)
        if left_out and not cleaned.get("drop_projected_years"):
            years = ", ".join(map(str, left_out))
            self.fields["drop_projected_years"].widget = forms.CheckboxInput()
            self.add_error(
                "drop_projected_years",
                f"Ces dates laissent hors de la convention des années déjà remplies dans les projections de "
                f"places (annexe du plan d'actions) : {years}. Cochez la case pour les retirer, ou gardez les dates.",
            )
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        convention = super().save(commit)
        if commit and self.cleaned_data.get("drop_projected_years"):
            convention.drop_projected_years_outside_the_period()
        return convention


class OptionsForm(forms.Form):
    """The model's options for one convention: a yes/no box or a choice of wordings each."""

    def __init__(self, *args, convention, disabled=False, **kwargs):
        """`disabled`: shown to someone who cannot change them (a commune, a signed convention)."""
        super().__init__(*args, **kwargs)
        self.convention = convention
        current = convention.options_in_force()
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
            if option.follows_signatory_kind:
                field.disabled = True
                kind = option.get_follows_signatory_kind_display()
                field.help_text = (
                    f"Suit les signataires : cochée quand une collectivité de type « {kind} » signe "
                    f"(rubrique Signataires). {option.guidance}"
                )
            self.fields[option.key] = field

    def save(self):
        chosen = {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}
        self.convention.options = {**(self.convention.options or {}), **chosen}
        self.convention.save(update_fields=["options", "updated_at"])
        return self.convention


def could_be_an_id(value):
    """Whether a value a browser sent could name a row: digits, no more than a database integer holds."""
    return value.isascii() and value.isdigit() and len(value) <= MAX_PK_DIGITS


def collectivites_in_order(values):
    """The collectivités whose primary keys `values` (as a browser sends them) name, in that order;
    a value that names none ("abc", a number too long for the database) is left out."""
    values = dict.fromkeys(str(value) for value in values)
    pks = [int(value) for value in values if could_be_an_id(value)]
    found = Collectivite.objects.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]
