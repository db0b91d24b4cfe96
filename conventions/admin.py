from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin

from conventions.models import (
    Annex,
    AnnexTemplate,
    Article,
    ArticleTemplate,
    Caf,
    CafRepresentative,
    Collectivite,
    Convention,
    ConventionTemplate,
    Deliberation,
    DiagnosticFigure,
    DiagnosticSection,
    Equipment,
    KeyFigure,
    Signatory,
    SignatoryRepresentative,
    SteeringBody,
    TemplateOption,
    User,
)
from conventions.resources import CommuneResource, EquipmentResource


class ImportExportInFrenchAdmin(ImportExportModelAdmin):
    """The library's export form lists each column to pick by its field's name, in English
    (« Structure Type »): the export takes every column, each headed in French by its resource."""

    export_form_class = ExportForm


class CafRepresentativeInline(admin.TabularInline):
    model = CafRepresentative
    extra = 0


@admin.register(Caf)
class CafAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "signature_place", "ca_deliberation_date")
    search_fields = ("code", "department", "legal_name")
    inlines = [CafRepresentativeInline]


@admin.register(Collectivite)
class CollectiviteAdmin(ImportExportInFrenchAdmin):
    resource_classes = [CommuneResource]
    list_display = ("name", "kind", "insee_code", "siren", "population", "epci")
    list_filter = ("kind", "department_code")
    search_fields = ("name", "insee_code", "siren")
    list_select_related = ("epci",)
    autocomplete_fields = ("epci",)


class TemplateOptionInline(admin.TabularInline):
    model = TemplateOption
    extra = 0


class ArticleTemplateInline(admin.StackedInline):
    model = ArticleTemplate
    extra = 0
    fields = ("position", "key", "title", "numbered", "editable", "text", "guidance")


class AnnexTemplateInline(admin.StackedInline):
    model = AnnexTemplate
    extra = 0
    fields = ("position", "key", "title", "kind", "required", "text", "guidance")


@admin.register(ConventionTemplate)
class ConventionTemplateAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "caf", "kind", "version_date")
    list_filter = ("kind", "caf")
    search_fields = ("slug", "name")
    inlines = [TemplateOptionInline, ArticleTemplateInline, AnnexTemplateInline]


@admin.register(ArticleTemplate)
class ArticleTemplateAdmin(admin.ModelAdmin):
    list_display = ("template", "position", "title", "numbered", "editable")
    list_filter = ("template", "numbered", "editable")
    search_fields = ("title", "text", "guidance")


@admin.register(AnnexTemplate)
class AnnexTemplateAdmin(admin.ModelAdmin):
    list_display = ("template", "position", "title", "kind", "required")
    list_filter = ("template", "kind")
    search_fields = ("title", "text", "guidance")


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ("collectivite",)


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "title", "caf", "template", "start_date", "end_date", "status", "is_example")
    list_filter = ("status", "caf", "template", "is_example")
    search_fields = ("reference", "title", "territory", "signatories__collectivite__name")
    list_select_related = ("caf", "template")
    date_hierarchy = "start_date"
    inlines = [SignatoryInline, KeyFigureInline]

    def get_readonly_fields(self, request, obj=None):
        """A signed or terminated convention is read here as it is everywhere: it changes only by
        avenant, and its status only moves on to its termination, on its own page."""
        if obj is not None and obj.is_frozen:
            return [field.name for field in self.model._meta.concrete_fields]
        return super().get_readonly_fields(request, obj)


class SignatoryRepresentativeInline(admin.TabularInline):
    model = SignatoryRepresentative
    extra = 0


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ("convention", "position", "caf", "collectivite", "signed_on")
    list_filter = ("convention__caf",)
    search_fields = ("convention__reference", "collectivite__name")
    list_select_related = ("convention", "caf", "collectivite")
    inlines = [SignatoryRepresentativeInline]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("convention", "position", "title", "numbered", "editable")
    list_filter = ("convention__template", "numbered")
    search_fields = ("convention__reference", "title", "text")
    list_select_related = ("convention",)


@admin.register(Annex)
class AnnexAdmin(SimpleHistoryAdmin):
    list_display = ("convention", "position", "title", "kind", "required")
    list_filter = ("kind", "convention__template")
    search_fields = ("convention__reference", "title", "text")
    list_select_related = ("convention",)


@admin.register(Equipment)
class EquipmentAdmin(ImportExportInFrenchAdmin):
    resource_classes = [EquipmentResource]
    list_display = ("name", "structure_type", "convention", "manager", "capacity")
    list_filter = ("structure_type", "convention__caf")
    search_fields = ("name", "address", "manager", "convention__reference")
    list_select_related = ("convention",)


@admin.register(SteeringBody)
class SteeringBodyAdmin(admin.ModelAdmin):
    list_display = ("dispositif", "name", "convention", "periodicity")
    search_fields = ("dispositif", "name", "convention__reference")
    list_select_related = ("convention",)


@admin.register(DiagnosticSection)
class DiagnosticSectionAdmin(admin.ModelAdmin):
    list_display = ("title", "convention", "position")
    search_fields = ("title", "text", "convention__reference")
    list_select_related = ("convention",)


@admin.register(DiagnosticFigure)
class DiagnosticFigureAdmin(admin.ModelAdmin):
    list_display = ("label", "zone", "zone_allocataires", "value", "unit", "convention")
    search_fields = ("label", "zone", "convention__reference")
    list_select_related = ("convention",)


@admin.register(Deliberation)
class DeliberationAdmin(admin.ModelAdmin):
    list_display = ("number", "date", "collectivite", "convention", "actes_identifier")
    list_filter = ("convention__caf",)
    search_fields = ("number", "actes_identifier", "collectivite__name", "convention__reference")
    list_select_related = ("collectivite", "convention")
    date_hierarchy = "date"


@admin.register(User)
class CtgUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "role", "caf", "collectivite", "is_superuser")
    list_filter = ("role", "caf", "is_superuser", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Rattachement", {"fields": ("role", "caf", "collectivite")}),)
    autocomplete_fields = ("collectivite",)
