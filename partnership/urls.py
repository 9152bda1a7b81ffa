from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from partnership import views
from partnership.forms import PortalAuthenticationForm

urlpatterns = [
    path("", include("partnership.site_urls")),
    path("actions/", include("actions.urls")),
    path("assessment/", include("assessment.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("portal.opendata.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "partnership.views.bad_request"
handler403 = "partnership.views.permission_denied"
handler404 = "partnership.views.page_not_found"
handler500 = "partnership.views.server_error"
