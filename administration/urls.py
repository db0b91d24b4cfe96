from django.urls import path

from administration import views

urlpatterns = [
    path("administration/comptes/", views.accounts, name="administration_accounts"),
    path("administration/comptes/nouveau/", views.account_create, name="administration_account_create"),
    path("administration/comptes/<int:pk>/", views.account_edit, name="administration_account_edit"),
    path(
        "administration/comptes/<int:pk>/mot-de-passe/",
        views.account_password,
        name="administration_account_password",
    ),
    path("administration/caf/", views.caf_record, name="administration_caf"),
    path("administration/options/", views.template_options, name="administration_options"),
    path("administration/options/<int:pk>/", views.template_option_edit, name="administration_option_edit"),
]
