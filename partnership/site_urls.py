from django.urls import path

from partnership import views

app_name = "partnership"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.home_for_user, name="home_for_user"),
    path("partnership/", views.partnership_page, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
