from django.urls import path

from conventions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("conventions/nouvelle/", views.convention_create, name="convention_create"),
    path("collectivites/recherche/", views.collectivite_search, name="collectivite_search"),
    path("collectivites/<int:pk>/choisie/", views.collectivite_chosen, name="collectivite_chosen"),
    path("conventions/<int:pk>/", views.convention_edit, name="convention_edit"),
    path("conventions/<int:pk>/informations/", views.convention_info, name="convention_info"),
    path("conventions/<int:pk>/supprimer/", views.convention_delete, name="convention_delete"),
    path("conventions/<int:pk>/options/", views.convention_options, name="convention_options"),
    path("conventions/<int:pk>/signataires/", views.convention_signatories, name="convention_signatories"),
    path("conventions/<int:pk>/signataires/ajouter/", views.signatory_add, name="signatory_add"),
    path(
        "conventions/<int:pk>/signataires/<int:signatory_pk>/retirer/",
        views.signatory_remove,
        name="signatory_remove",
    ),
    path("conventions/<int:pk>/articles/<int:article_pk>/", views.article_edit, name="article_edit"),
    path("conventions/<int:pk>/annexes/<int:annex_pk>/", views.annex_edit, name="annex_edit"),
    path("conventions/<int:pk>/apercu-texte/", views.section_preview, name="section_preview"),
    path("conventions/<int:pk>/lignes/<slug:slug>/ajouter/", views.row_add, name="row_add"),
    path("conventions/<int:pk>/lignes/<slug:slug>/<int:row_pk>/", views.row_edit, name="row_edit"),
    path("conventions/<int:pk>/lignes/<slug:slug>/<int:row_pk>/supprimer/", views.row_delete, name="row_delete"),
    path("conventions/<int:pk>/lignes/<slug:slug>/<int:row_pk>/fichier/", views.row_file, name="row_file"),
    path("conventions/<int:pk>/historique/", views.convention_history, name="convention_history"),
    path("conventions/<int:pk>/statut/", views.convention_status, name="convention_status"),
    path("conventions/<int:pk>/resiliation/", views.convention_terminate, name="convention_terminate"),
    path("conventions/<int:pk>/signature/", views.convention_sign, name="convention_sign"),
    path("conventions/<int:pk>/documents/<int:document_pk>/", views.signed_document, name="signed_document"),
    path("conventions/<int:pk>/documents/original/", views.external_original, name="external_original"),
    path("conventions/<int:pk>/avenants/nouveau/", views.avenant_create, name="avenant_create"),
    path("conventions/<int:pk>/avenants/<int:number>/", views.avenant_detail, name="avenant_detail"),
    path(
        "conventions/<int:pk>/avenants/<int:number>/modifier/", views.avenant_change_open, name="avenant_change_open"
    ),
    path(
        "conventions/<int:pk>/avenants/<int:number>/modifications/<int:change_pk>/",
        views.avenant_change,
        name="avenant_change",
    ),
    path(
        "conventions/<int:pk>/avenants/<int:number>/modifications/<int:change_pk>/retirer/",
        views.avenant_change_remove,
        name="avenant_change_remove",
    ),
    path(
        "conventions/<int:pk>/avenants/<int:number>/signataires/",
        views.avenant_signatories,
        name="avenant_signatories",
    ),
    path(
        "conventions/<int:pk>/avenants/<int:number>/prolongation/",
        views.avenant_prolongation,
        name="avenant_prolongation",
    ),
    path("conventions/<int:pk>/avenants/<int:number>/valider/", views.avenant_validate, name="avenant_validate"),
    path("conventions/<int:pk>/avenants/<int:number>/signer/", views.avenant_sign, name="avenant_sign"),
    path("conventions/<int:pk>/avenants/<int:number>/apercu/", views.avenant_preview, name="avenant_preview"),
    path("conventions/<int:pk>/avenants/<int:number>/pdf/", views.avenant_pdf, name="avenant_pdf"),
    path("verifier/", views.verify, name="verify"),
    path("export/conventions-signees/", views.signed_export, name="signed_export"),
    path("conventions/<int:pk>/apercu/", views.preview, name="convention_preview"),
    path("conventions/<int:pk>/pdf/", views.pdf, name="convention_pdf"),
    path("conventions/<int:pk>/pdf/etat/", views.pdf_state, name="convention_pdf_state"),
]
