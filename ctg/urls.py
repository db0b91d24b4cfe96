from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

admin.site.site_header = "CTG — administration"
admin.site.site_title = "CTG"

urlpatterns = [
    path("admin/", admin.site.urls),
    # django.contrib.auth.urls without the password reset: it sends an e-mail, and none is set up.
    path("comptes/login/", auth_views.LoginView.as_view(), name="login"),
    # Logging out needs no session: a click after the session ended logs out, it does not ask for a login.
    path("comptes/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("comptes/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "comptes/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("conventions.urls")),
    path("", include("plans.urls")),
    path("", include("administration.urls")),
]

handler403 = "ctg.views.permission_denied"
handler500 = "ctg.views.server_error"
