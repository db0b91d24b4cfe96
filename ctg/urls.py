from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "CTG — administration"
admin.site.site_title = "CTG"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comptes/", include("django.contrib.auth.urls")),
    path("", include("conventions.urls")),
    path("", include("plans.urls")),
]

handler500 = "ctg.views.server_error"
