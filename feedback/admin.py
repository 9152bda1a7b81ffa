from django.contrib import admin

from feedback.models import (
    ActionLeader,
    Comment,
    FeedbackRound,
    ModerationEvent,
    OfficialResponse,
    OutcomeSummary,
    PageFeedback,
    Report,
)


@admin.register(FeedbackRound)
class FeedbackRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "moderation"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["actions"]


@admin.register(ActionLeader)
class ActionLeaderAdmin(admin.ModelAdmin):
    list_display = ["action", "user"]
    autocomplete_fields = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Moderation happens in the portal's moderation pages, where every decision is logged."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "round", "action", "status", "respondent_type", "country", "created_at"]
    list_filter = ["status", "round", "action", "respondent_type"]
    list_select_related = ["round", "action"]
    exclude = ["email"]


@admin.register(OfficialResponse)
class OfficialResponseAdmin(ReadOnlyAdmin):
    list_display = ["comment", "role", "author", "updated_at"]
    list_select_related = ["comment", "author"]


@admin.register(OutcomeSummary)
class OutcomeSummaryAdmin(ReadOnlyAdmin):
    list_display = ["round", "action", "author", "updated_at"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["comment", "reason", "created_at", "resolved_at"]
    exclude = ["reporter_hash"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    list_display = ["comment", "kind", "actor", "created_at"]
    list_select_related = ["comment", "actor"]


@admin.register(PageFeedback)
class PageFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["path", "useful", "created_at"]
    list_filter = ["useful"]
