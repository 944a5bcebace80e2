"""The paper chooser on an agenda item: opens at the proposals section, not the home page.

Wagtail's page chooser opens at the chosen page's parent, or else at the closest common
ancestor of the page types allowed (for papers, the home page). Officers almost always want
a proposal, so with nothing chosen yet it opens at the proposals section; they can still
browse up to choose a provider profile or a standard page.
"""

from wagtail.admin.panels import PageChooserPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page


def proposals_section_id():
    return (
        Page.objects.filter(
            content_type__app_label="papers", content_type__model="proposalindexpage"
        )
        .values_list("pk", flat=True)
        .first()
    )


class PaperChooser(AdminPageChooser):
    def get_js_init_options(self, id_, name, value_data):
        opts = super().get_js_init_options(id_, name, value_data)
        if "parentId" not in opts:
            section = proposals_section_id()
            if section is not None:
                opts["parentId"] = section
        return opts


class PaperChooserPanel(PageChooserPanel):
    """PageChooserPanel with the PaperChooser widget (made when the form is, not at import)."""

    def get_form_options(self):
        opts = super().get_form_options()
        opts.setdefault("widgets", {})[self.field_name] = PaperChooser(
            target_models=self.page_type, can_choose_root=self.can_choose_root
        )
        return opts
