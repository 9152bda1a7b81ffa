from django.contrib import admin

from actions.models import Action, ActionLink


class ActionLinkInline(admin.TabularInline):
    model = ActionLink
    fk_name = "source"
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["number", "final_title", "status", "leader"]
    inlines = [ActionLinkInline]


@admin.register(ActionLink)
class ActionLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "confirmed"]
