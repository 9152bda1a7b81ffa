from django.urls import path

from assessment.views import coordinator, officer

app_name = "assessment"

urlpatterns = [
    path("", officer.dashboard, name="dashboard"),
    path("<int:pk>/", officer.overview, name="overview"),
    path("<int:pk>/results/", officer.results, name="results"),
    path("coordinator/", coordinator.dashboard, name="coordinator_dashboard"),
    path("<int:pk>/review/", coordinator.review, name="review"),
]
