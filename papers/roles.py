"""The site's roles, set up from code (never by hand in the admin).

``ensure_roles()`` is idempotent and authoritative: it creates the four groups, gives each exactly
the rights listed here, and assigns the "Chair approval" workflow to every board section. It runs
after every ``migrate`` (post_migrate) and in ``seed_demo``; a section created later (a new child of
a section parent page) is set up the moment it is saved, by ``papers.signal_handlers.section_created``.

The sections are the children of the section parent pages: pages of the model named by
``BOARD_PAPERS["SECTION_PARENT_PAGE_MODEL"]`` (papers.conf; this site's home page). Rights are
granted on each section, never on the section parent or the root: an officer can therefore not
create pages at the home level, nor move anything there. The group names come from papers.conf.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .conf import get_section_parent_model, group_name
from .confidentiality import ensure_collections
from .models import AccessLogEntry
from .workflows import assign_chair_approval, ensure_chair_workflow

OFFICERS, CHAIR, BOARD_MEMBERS, MEMBERS = (
    group_name(role) for role in ("OFFICERS", "CHAIR", "BOARD_MEMBERS", "MEMBERS")
)
ROLE_GROUPS = [OFFICERS, CHAIR, BOARD_MEMBERS, MEMBERS]
# Who reads the access log besides superusers.
ACCESS_LOG_READERS = [CHAIR]

# Model-level (Django) permissions. Board members and Members sign in on the public site only.
SNIPPETS = ["member", "cabinetcommittee", "servicearea"]
# Officers and the Chair record members' training (papers.training_admin).
TRAINING_RECORDS = [
    f"papers.{action}_trainingcompletion" for action in ("view", "add", "change", "delete")
]
# Officers and the Chair keep the register of interests (papers.interests_admin).
INTEREST_REGISTER = [f"papers.{action}_interest" for action in ("view", "add", "change", "delete")]
MODEL_PERMISSIONS = {
    # Officers may pick members, committees and service areas in page forms, not change them:
    # snippets have no approval step, so a change would be public at once.
    OFFICERS: ["wagtailadmin.access_admin"]
    + [f"papers.view_{s}" for s in SNIPPETS]
    + TRAINING_RECORDS
    + INTEREST_REGISTER,
    CHAIR: ["wagtailadmin.access_admin"]
    + [f"papers.{action}_{s}" for s in SNIPPETS for action in ("view", "add", "change")]
    # The access log of restricted pages and documents (papers.access_log_admin).
    + ["papers.view_accesslogentry"]
    + TRAINING_RECORDS
    + INTEREST_REGISTER,
    BOARD_MEMBERS: [],
    MEMBERS: [],
}

# Page permissions on every board section (inherited by everything in it). No one but superusers
# has "publish" on the home page, "bulk_delete" or "lock"; without "publish" an officer cannot
# publish, unpublish, delete a live page, move a live page or change privacy.
SECTION_PAGE_PERMISSIONS = {
    OFFICERS: ["add_page", "change_page"],
    CHAIR: ["add_page", "change_page", "publish_page"],
}

# Document permissions. Documents are added to and changed in the three audience collections
# (public, members' and board papers), never the root: the root has no audience of its own (a file
# there is public) and Wagtail would offer it first. Choosing is granted on the root, so a
# document anywhere can be attached. (Only the Chair makes a document less restricted:
# papers.document_forms.)
ROOT_DOCUMENT_PERMISSIONS = ["choose_document"]
AUDIENCE_DOCUMENT_PERMISSIONS = ["add_document", "change_document"]
COLLECTION_PERMISSIONS = {
    OFFICERS: (ROOT_DOCUMENT_PERMISSIONS, AUDIENCE_DOCUMENT_PERMISSIONS),
    CHAIR: (ROOT_DOCUMENT_PERMISSIONS, AUDIENCE_DOCUMENT_PERMISSIONS),
}


def get_permission(label, using="default"):
    """``app_label.codename`` -> Permission, creating the app's permissions if not made yet
    (post_migrate runs app by app, and this app comes before most)."""
    app_label, codename = label.split(".")
    permissions = Permission.objects.using(using).filter(
        content_type__app_label=app_label, codename=codename
    )
    if not permissions.exists():
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    return permissions.get()


def section_parents():
    """The pages whose children are the board's sections (this site: its home page)."""
    return Page.objects.type(get_section_parent_model())


def section_pages():
    """The board's sections: every child of a section parent (about, meetings, proposals...)."""
    sections = Page.objects.none()
    for parent in section_parents():
        sections = sections | parent.get_children()
    return sections


@transaction.atomic
def ensure_roles(using="default"):
    """Create or correct the groups, their rights and the Chair's workflow. Returns the groups."""
    groups = {name: Group.objects.using(using).get_or_create(name=name)[0] for name in ROLE_GROUPS}
    for name, labels in MODEL_PERMISSIONS.items():
        groups[name].permissions.set([get_permission(label, using) for label in labels])

    sections = list(section_pages())
    for name in ROLE_GROUPS:
        _set_page_permissions(groups[name], sections, SECTION_PAGE_PERMISSIONS.get(name, []))
        _set_collection_permissions(groups[name], *COLLECTION_PERMISSIONS.get(name, ([], [])))

    workflow = ensure_chair_workflow(groups[CHAIR])
    for section in sections:
        assign_chair_approval(section, workflow)
    return groups


def _set_page_permissions(group, sections, codenames):
    wanted = {
        (section.pk, get_permission(f"wagtailcore.{codename}").pk)
        for section in sections
        for codename in codenames
    }
    existing = GroupPagePermission.objects.filter(group=group)
    for grant in existing:
        if (grant.page_id, grant.permission_id) not in wanted:
            grant.delete()  # code is the source of truth: no stray grants survive
    have = set(existing.values_list("page_id", "permission_id"))
    for page_id, permission_id in wanted - have:
        GroupPagePermission.objects.create(
            group=group, page_id=page_id, permission_id=permission_id
        )


def _set_collection_permissions(group, root_codenames, audience_codenames):
    root = Collection.get_first_root_node()
    wanted = set()
    if root is not None:
        wanted |= {(root.pk, get_permission(f"wagtaildocs.{c}").pk) for c in root_codenames}
        for collection in ensure_collections().values():
            wanted |= {
                (collection.pk, get_permission(f"wagtaildocs.{c}").pk) for c in audience_codenames
            }
    existing = GroupCollectionPermission.objects.filter(group=group)
    for grant in existing:
        if (grant.collection_id, grant.permission_id) not in wanted:
            grant.delete()
    have = set(existing.values_list("collection_id", "permission_id"))
    for collection_id, permission_id in wanted - have:
        GroupCollectionPermission.objects.create(
            group=group, collection_id=collection_id, permission_id=permission_id
        )


def grant_section(section):
    """Give the roles their rights on one new section and put it under the Chair's workflow."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    for name, codenames in SECTION_PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page=section,
                permission=get_permission(f"wagtailcore.{codename}"),
            )
    assign_chair_approval(section, ensure_chair_workflow(groups[CHAIR]))


def is_section(page):
    """Whether ``page`` is a section: a child of a section parent page."""
    parent = page.get_parent()
    return parent is not None and issubclass(
        parent.specific_class or Page, get_section_parent_model()
    )


def section_of(page):
    """The section ``page`` is in (or is), or None: the ancestor that is a child of a section
    parent page."""
    parent_paths = section_parents().values_list("path", flat=True)
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gt=1)
    for ancestor in ancestors.order_by("depth"):
        if ancestor.path[: -Page.steplen] in parent_paths:
            return ancestor
    return None


def grant_access_log_reading():
    """The access log's view permission for its readers (created if migrate has not yet)."""
    content_type = ContentType.objects.get_for_model(AccessLogEntry)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_accesslogentry",
        defaults={"name": "Can view access log entry"},
    )
    for name in ACCESS_LOG_READERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)
