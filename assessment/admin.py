from django.contrib import admin

from assessment.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    ImprovementPlan,
    Item,
    ItemComment,
    LearningPeerOffer,
    PeerRequest,
    PlanTarget,
    Questionnaire,
    Section,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Published questionnaires and the event log are changed only by their own code paths."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "is_current", "published_at"]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["questionnaire", "action", "position"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "questionnaire", "answer_type", "dimension"]
    list_filter = ["questionnaire", "answer_type", "dimension"]
    search_fields = ["code", "question"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["authority", "cycle", "status", "questionnaire", "updated_at"]
    list_filter = ["status", "cycle"]
    search_fields = ["authority__name"]
    readonly_fields = [f.name for f in Assessment._meta.fields if f.name not in ("id",)]

    def has_add_permission(self, request):
        return False


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "from_status", "to_status", "actor", "created_at"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "item", "updated_by", "updated_at"]


@admin.register(ItemComment)
class ItemCommentAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "item", "author", "created_at"]


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(ReadOnlyAdmin):
    """Plans change on the plan page only, where every change is logged."""

    list_display = ["assessment", "updated_at"]


@admin.register(PlanTarget)
class PlanTargetAdmin(ReadOnlyAdmin):
    list_display = ["plan", "item", "level", "yes", "number", "target_cycle", "updated_by"]


@admin.register(LearningPeerOffer)
class LearningPeerOfferAdmin(ReadOnlyAdmin):
    """Offers change only through their authority's officers (opt in, withdraw)."""

    list_display = ["authority", "action", "contact", "created_at", "withdrawn_at"]
    list_filter = ["action", "withdrawn_at"]
    search_fields = ["authority__name"]


@admin.register(PeerRequest)
class PeerRequestAdmin(ReadOnlyAdmin):
    list_display = ["offer", "requester", "requester_authority", "created_at"]
