"""The root URLs: the site-wide pages here, each app's pages under its own prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actions import urls as actions_urls
from partnership.views import switch_language
from portal import public_cache, translations_views, views
from portal.forms import PortalAuthenticationForm, PortalPasswordResetForm

site_patterns = [
    path("", views.home, name="home"),
    path("me/", views.home_for_user, name="home_for_user"),
    path("coordination/translations/", translations_views.translations, name="translations"),
    path(
        "coordination/translations/<str:language>/review/",
        translations_views.review_language,
        name="review_language",
    ),
]

urlpatterns = [
    path("", include((site_patterns, "portal"))),
    path("", include("partnership.urls")),
    path(
        "actions/",
        include((public_cache.cached_patterns(actions_urls.urlpatterns, {"detail"}), "actions")),
    ),
    path("assessment/", include("assessment.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("portal.opendata.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", switch_language, name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PortalPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
