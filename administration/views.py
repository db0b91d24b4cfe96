"""A Caf administrator's screens: every view starts from `administered_caf`, and looks objects up
within that Caf."""

from axes.utils import reset as reset_login_attempts
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from administration.access import administered_caf
from administration.forms import (
    AccountCreateForm,
    AccountEditForm,
    AccountPasswordForm,
    CafForm,
    CafRepresentativeFormSet,
    TemplateOptionForm,
)
from administration.lockouts import locked_out_usernames
from conventions.models import Caf, CafRepresentative, ConventionTemplate, TemplateOption, User
from conventions.views.changes import NOT_SAVED
from conventions.views.history import history_of


def accounts(request):
    caf = administered_caf(request)
    accounts = list(
        User.objects.administered_by(caf)
        .select_related("collectivite")
        .order_by("-is_active", "role", "last_name", "username")
    )
    locked_out = locked_out_usernames([account.username for account in accounts])
    for account in accounts:
        account.is_locked_out = account.username in locked_out
    context = {"caf": caf, "accounts": accounts, "active": "accounts"}
    return render(request, "administration/accounts.html", context)


def account_create(request):
    caf = administered_caf(request)
    form = AccountCreateForm(posted(request), caf=caf)
    if request.method == "POST":
        if form.is_valid():
            account = form.save()
            messages.success(
                request,
                f"Compte « {account.username} » créé. Communiquez-lui son mot de passe provisoire : "
                "la personne le changera depuis « Mot de passe ».",
            )
            return redirect("administration_accounts")
        messages.error(request, NOT_SAVED)
    return render_form(request, "administration/account_form.html", {"caf": caf, "form": form})


def account_edit(request, pk):
    caf = administered_caf(request)
    account = get_object_or_404(User.objects.administered_by(caf), pk=pk)
    form = AccountEditForm(posted(request), instance=account, caf=caf, editor=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, f"Compte « {account.username} » enregistré.")
            return redirect("administration_accounts")
        messages.error(request, NOT_SAVED)
    changes = history_of(User.history.filter(id=account.pk), "Compte")
    context = {"caf": caf, "form": form, "account": account, "changes": changes}
    return render_form(request, "administration/account_form.html", context)


def account_password(request, pk):
    """A new password for someone who lost theirs (no e-mail is sent by the application); it also
    lifts a lockout after too many failed logins."""
    caf = administered_caf(request)
    account = get_object_or_404(User.objects.administered_by(caf), pk=pk)
    if account == request.user:  # their own: with the current one, and without ending their session
        return redirect("password_change")
    form = AccountPasswordForm(account, posted(request))
    if request.method == "POST":
        if form.is_valid():
            form.save()
            reset_login_attempts(username=account.username)
            messages.success(
                request,
                f"Nouveau mot de passe de « {account.username} » enregistré. Communiquez-le-lui : "
                "la personne le changera depuis « Mot de passe ».",
            )
            return redirect("administration_accounts")
        messages.error(request, NOT_SAVED)
    context = {"caf": caf, "form": form, "account": account}
    return render_form(request, "administration/account_password.html", context)


def caf_record(request):
    """What the Caf's new conventions and avenants start from: its usual place of signature, the
    date of its CA's deliberation (copied when a convention is created), and the people who sign
    for it (copied when the Caf becomes a party, or an avenant opens). Changing them here never
    changes a convention or an avenant already written."""
    caf = administered_caf(request)
    data = posted(request)
    form = CafForm(data, instance=caf)
    people = CafRepresentativeFormSet(data, instance=caf, prefix="people")
    if data is not None:
        if form.is_valid() and people.is_valid():
            with transaction.atomic():
                form.save()
                people.save()
            messages.success(request, "Informations de la Caf enregistrées.")
            return redirect("administration_caf")
        messages.error(request, NOT_SAVED)
    changes = history_of(Caf.history.filter(id=caf.pk), "Informations de la Caf") + history_of(
        CafRepresentative.history.filter(caf_id=caf.pk), "Représentant de la Caf"
    )
    changes.sort(key=lambda change: change.date, reverse=True)
    context = {"caf": caf, "form": form, "people": people, "active": "caf", "changes": changes}
    return render_form(request, "administration/caf.html", context)


def template_options(request):
    caf = administered_caf(request)
    templates = ConventionTemplate.objects.filter(caf=caf).prefetch_related("options")
    context = {"caf": caf, "templates": templates, "active": "options"}
    return render(request, "administration/template_options.html", context)


def template_option_edit(request, pk):
    caf = administered_caf(request)
    option = get_object_or_404(TemplateOption.objects.select_related("template"), pk=pk, template__caf=caf)
    form = TemplateOptionForm(posted(request), instance=option)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, f"Option « {option.label} » enregistrée ({option.template}).")
            return redirect("administration_options")
        messages.error(request, NOT_SAVED)
    return render_form(
        request, "administration/template_option_form.html", {"caf": caf, "form": form, "option": option}
    )


def posted(request):
    """The data of a POST, even empty (an empty form sent is a form sent), else None."""
    return request.POST if request.method == "POST" else None


def render_form(request, template_name, context):
    """A form page: 422 when it comes back with errors, so nothing reads it as a success."""
    status = 422 if request.method == "POST" else 200
    return render(request, template_name, context, status=status)
