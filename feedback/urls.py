from django.urls import path

from feedback.views import moderation, public

app_name = "feedback"

urlpatterns = [
    path("", public.round_list, name="rounds"),
    path("rounds/<slug:slug>/", public.round_detail, name="round"),
    path("actions/<int:number>/comment/", public.comment, name="comment"),
    path("thanks/<str:token>/", public.thanks, name="thanks"),
    path("comments/<int:pk>/report/", public.report, name="report"),
    path("comments/<int:pk>/reported/", public.report_done, name="report_done"),
    path("useful/", public.useful, name="useful"),
    path("useful/thanks/", public.useful_thanks, name="useful_thanks"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/comments/<int:pk>/", moderation.comment_detail, name="moderation_comment"),
    path("moderation/comments/<int:pk>/reject/", moderation.reject, name="moderation_reject"),
    path("moderation/comments/<int:pk>/respond/", moderation.respond, name="moderation_respond"),
    path(
        "moderation/comments/<int:pk>/<slug:decision>/", moderation.decide, name="moderation_decide"
    ),
    path("moderation/rounds/", moderation.rounds, name="moderation_rounds"),
    path("moderation/rounds/<slug:slug>/mode/", moderation.round_mode, name="moderation_mode"),
    path(
        "moderation/rounds/<slug:slug>/actions/<int:number>/outcome/",
        moderation.outcome,
        name="moderation_outcome",
    ),
    path("moderation/export.csv", moderation.export, name="moderation_export"),
    path("moderation/pages/", moderation.page_feedback, name="moderation_pages"),
]
