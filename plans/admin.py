from django.contrib import admin

from conventions.admin import ImportExportInFrenchAdmin
from plans.models import ActionSheet, AOCompetence, Axis, PlacesProjection
from plans.resources import ActionSheetResource


class ActionSheetInline(admin.StackedInline):
    model = ActionSheet
    extra = 0
    fields = ("position", "title", "target_public", "operational_objectives", "expected_results", "indicators")


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ("title", "convention", "position")
    list_filter = ("convention__caf",)
    search_fields = ("title", "convention__reference")
    list_select_related = ("convention",)
    inlines = [ActionSheetInline]


@admin.register(ActionSheet)
class ActionSheetAdmin(ImportExportInFrenchAdmin):
    resource_classes = [ActionSheetResource]
    list_display = ("title", "axis", "position")
    list_filter = ("axis__convention__caf", "axis__convention")
    search_fields = ("title", "axis__title", "axis__convention__reference")
    list_select_related = ("axis", "axis__convention")


@admin.register(AOCompetence)
class AOCompetenceAdmin(admin.ModelAdmin):
    list_display = ("collectivite", "competence", "exercised_by", "transfer", "convention")
    list_filter = ("competence", "exercised_by")
    search_fields = ("collectivite__name", "convention__reference")
    list_select_related = ("collectivite", "convention")


@admin.register(PlacesProjection)
class PlacesProjectionAdmin(admin.ModelAdmin):
    list_display = ("collectivite", "mode", "current", "convention")
    list_filter = ("mode",)
    search_fields = ("collectivite__name", "convention__reference")
    list_select_related = ("collectivite", "convention")
