from django.contrib import admin

from feedback.models import FeedbackRound


@admin.register(FeedbackRound)
class FeedbackRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["actions"]
