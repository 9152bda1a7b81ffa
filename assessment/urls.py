from django.urls import path

from assessment.views import coordinator, officer, plans
from assessment.views import learning_peers as peer_views
from assessment.views import report as report_views
from assessment.views import results as results_views

app_name = "assessment"

urlpatterns = [
    path("", officer.dashboard, name="dashboard"),
    path("<int:pk>/", officer.overview, name="overview"),
    path("start/", officer.start, name="start"),
    path("<int:pk>/section/<int:action>/", officer.section, name="section"),
    path("<int:pk>/save/<int:action>/", officer.save, name="save"),
    path("<int:pk>/submit/", officer.submit, name="submit"),
    path("<int:pk>/results/", results_views.results, name="results"),
    path("<int:pk>/results.json", results_views.results_as_json, name="results_json"),
    path("<int:pk>/plan/", plans.plan, name="plan"),
    path("<int:pk>/plan/save/", plans.plan_save, name="plan_save"),
    path("<int:pk>/plan/preview/", plans.plan_preview, name="plan_preview"),
    path("<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("coordinator/", coordinator.dashboard, name="coordinator_dashboard"),
    path("<int:pk>/review/", coordinator.review, name="review"),
    path("<int:pk>/review/return/", coordinator.review_return, name="review_return"),
    path("<int:pk>/review/approve/", coordinator.review_approve, name="review_approve"),
    path("<int:pk>/review/comment/", coordinator.review_comment, name="review_comment"),
    path("coordinator/heatmap/", coordinator.heatmap, name="coordinator_heatmap"),
    path("coordinator/plans/", plans.coordinator_plans, name="coordinator_plans"),
    path("coordinator/export/plans.csv", plans.export_plans, name="export_plans"),
    path("coordinator/export/scores.csv", coordinator.export_scores, name="export_scores"),
    path("coordinator/export/answers.csv", coordinator.export_answers, name="export_answers"),
    path("authority/<int:authority>/learning-peers/", peer_views.offers, name="learning_peers"),
    path(
        "authority/<int:authority>/learning-peers/<int:action>/",
        peer_views.offer,
        name="learning_peer_offer",
    ),
    path(
        "authority/<int:authority>/learning-peers/<int:action>/withdraw/",
        peer_views.withdraw,
        name="learning_peer_withdraw",
    ),
    path("<int:pk>/learning-peers/<int:offer>/ask/", peer_views.ask, name="ask_peer"),
    path(
        "coordinator/learning-peers/",
        peer_views.coordinator_peers,
        name="coordinator_learning_peers",
    ),
    path(
        "coordinator/export/learning-peers.csv",
        peer_views.export_peers,
        name="export_learning_peers",
    ),
    path(
        "coordinator/export/peer-requests.csv",
        peer_views.export_peer_requests,
        name="export_peer_requests",
    ),
]
