from django.urls import path, re_path

from plans import views, views_import

urlpatterns = [
    path("conventions/<int:pk>/plan/", views.plan, name="plan"),
    path("conventions/<int:pk>/plan/axes/ajouter/", views.axis_add, name="axis_add"),
    re_path(
        r"^conventions/(?P<pk>\d+)/plan/axes/(?P<axis_pk>\d+)/(?P<direction>monter|descendre)/$",
        views.axis_move,
        name="axis_move",
    ),
    path("conventions/<int:pk>/plan/axes/<int:axis_pk>/", views.axis_edit, name="axis_edit"),
    path("conventions/<int:pk>/plan/axes/<int:axis_pk>/supprimer/", views.axis_delete, name="axis_delete"),
    path("conventions/<int:pk>/plan/axes/<int:axis_pk>/nouvelle-action/", views.action_edit, name="action_add"),
    path("conventions/<int:pk>/plan/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("conventions/<int:pk>/plan/actions/<int:action_pk>/supprimer/", views.action_delete, name="action_delete"),
    re_path(
        r"^conventions/(?P<pk>\d+)/plan/actions/(?P<action_pk>\d+)/deplacer/(?P<direction>monter|descendre)/$",
        views.action_move,
        name="action_move",
    ),
    path("conventions/<int:pk>/plan/actions/<int:action_pk>/suivi/", views.follow_up_add, name="follow_up_add"),
    path("conventions/<int:pk>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("conventions/<int:pk>/autorites-organisatrices/", views.ao_table, name="ao_table"),
    path(
        "conventions/<int:pk>/autorites-organisatrices/pre-remplir/",
        views.ao_table_prefill,
        name="ao_table_prefill",
    ),
    path("conventions/<int:pk>/suivi.<str:extension>", views.follow_up_export, name="follow_up_export"),
    path("conventions/<int:pk>/projections/", views.projections, name="projections"),
    path("conventions/<int:pk>/import/<slug:kind>/", views_import.import_file, name="import_file"),
    path(
        "conventions/<int:pk>/import/<slug:kind>/modele.xlsx",
        views_import.import_blank_file,
        name="import_blank_file",
    ),
    path("conventions/<int:pk>/bilans/<str:kind>/", views.report, name="report"),
    path("conventions/<int:pk>/bilans/<str:kind>.<str:extension>", views.report, name="report_file"),
    path("conventions/<int:pk>/bilans/<str:kind>/<int:year>/", views.report, name="report_year"),
    path(
        "conventions/<int:pk>/bilans/<str:kind>/<int:year>.<str:extension>",
        views.report,
        name="report_year_file",
    ),
]
