from django.urls import path

from partnership import views

app_name = "partnership"

urlpatterns = [
    path("partnership/", views.partnership_page, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("account/language/", views.language_preference, name="language"),
]
