"""Training records in the admin: officers and the Chair record who completed which module
(the "Training records" viewset), and read the completion table (modules × board members).

Who recorded a completion is taken from the signed-in user, never typed. Rights come from
``papers.roles`` (``papers.*_trainingcompletion``).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from .conf import group_name
from .models import TrainingCompletion, TrainingModulePage

TABLE_URL_NAME = "papers_training_completion_table"
VIEW_PERMISSION = "papers.view_trainingcompletion"
# Whose training is recorded: anyone who signs in to read papers, and the Chair.
TRAINEE_ROLES = ("BOARD_MEMBERS", "MEMBERS", "CHAIR")


def trainees():
    names = [group_name(role) for role in TRAINEE_ROLES]
    users = get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct()
    return users.order_by("last_name", "first_name", "username")


def board():
    """The board's members with accounts: board members and the Chair."""
    names = [group_name("BOARD_MEMBERS"), group_name("CHAIR")]
    users = get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct()
    return users.order_by("last_name", "first_name", "username")


def display_name(user):
    return user.get_full_name() or user.get_username()


class RecordsWhoMixin:
    """Fills in the recorder, and offers only members (by name) to record training for."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "user" in form.fields:
            form.fields["user"].queryset = trainees()
            form.fields["user"].label_from_instance = display_name
        if "module" in form.fields:
            form.fields["module"].queryset = TrainingModulePage.objects.live().order_by("path")
        return form

    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class CompletionCreateView(RecordsWhoMixin, CreateView):
    pass


class CompletionEditView(RecordsWhoMixin, EditView):
    pass


class CompletionTableView(WagtailAdminTemplateMixin, TemplateView):
    """Modules × board members: the date each completed each module."""

    template_name = "papers/admin/training_completion.html"
    page_title = "Training completion"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(board())
        modules = list(TrainingModulePage.objects.live().order_by("path"))
        done = {
            (c.module_id, c.user_id): c
            for c in TrainingCompletion.objects.filter(user__in=members, module__in=modules)
        }
        context["members"] = [display_name(m) for m in members]
        context["rows"] = [
            {
                "module": module,
                "cells": [done.get((module.pk, member.pk)) for member in members],
                "done": sum((module.pk, member.pk) in done for member in members),
            }
            for module in modules
        ]
        context["records_url"] = reverse(f"{completion_viewset.name}:index")
        return context


class TrainingCompletionViewSet(ModelViewSet):
    model = TrainingCompletion
    name = "training_records"
    icon = "tasks"
    menu_label = "Training records"
    menu_order = 940
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_view_class = CompletionCreateView
    edit_view_class = CompletionEditView
    form_fields = ["user", "module", "completed_on", "method"]
    list_display = ["user", "module", "completed_on", "method", "recorded_by"]
    list_filter = ["module", "method"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_export = ["user", "module", "completed_on", "method", "recorded_by", "recorded_at"]
    export_filename = "training-records"
    ordering = ["-completed_on"]


completion_viewset = TrainingCompletionViewSet()


def admin_urls():
    return [path("training/completion/", CompletionTableView.as_view(), name=TABLE_URL_NAME)]


class CompletionTableMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


def table_menu_item():
    return CompletionTableMenuItem(
        "Training completion", reverse(TABLE_URL_NAME), icon_name="table", order=941
    )
