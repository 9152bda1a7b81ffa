from django.contrib import admin

from partnership.models import (
    ContentBlock,
    Meeting,
    MeetingSession,
    Membership,
    PartnerOrganisation,
    UrbanAuthority,
    UserPreference,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(UrbanAuthority)
class UrbanAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population", "kind", "is_partner"]
    list_filter = ["kind", "is_partner", "country"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "authority", "job_title"]
    search_fields = ["user__username", "authority__name"]
    autocomplete_fields = ["user", "authority"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind", "role"]


class MeetingSessionInline(admin.StackedInline):
    model = MeetingSession
    extra = 0
    filter_horizontal = ["actions"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "place"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MeetingSessionInline]


@admin.register(MeetingSession)
class MeetingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "date"]
    list_filter = ["meeting", "kind"]
    filter_horizontal = ["actions"]


@admin.register(ContentBlock)
class ContentBlockAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "updated_at"]


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "last_language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    readonly_fields = ["last_language"]
