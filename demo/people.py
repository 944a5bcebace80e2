"""Snippets: the board's members (invented names), Cabinet Committees and service areas."""

from django.utils.text import slugify

from papers.models import CabinetCommittee, Member, ServiceArea
from papers.models.choices import BoardRole

# A county council with a Conservative majority: the board's 13 seats split in proportion.
MEMBERS = [
    # name, political group, role, demo user
    ("Cllr Helen Marsh", "Conservative", BoardRole.CHAIR, "chair"),
    ("Cllr David Penrose", "Liberal Democrat", BoardRole.VICE_CHAIR, None),
    ("Cllr Tom Ashdown", "Conservative", BoardRole.MEMBER, "member"),
    ("Cllr Margaret Felton", "Conservative", BoardRole.MEMBER, None),
    ("Cllr Graham Whitlock", "Conservative", BoardRole.MEMBER, "trainee"),
    ("Cllr Sunita Rao", "Conservative", BoardRole.MEMBER, None),
    ("Cllr Peter Lyddon", "Conservative", BoardRole.MEMBER, None),
    ("Cllr Alison Greer", "Conservative", BoardRole.MEMBER, None),
    ("Cllr Brian Hollins", "Conservative", BoardRole.MEMBER, None),
    ("Cllr Fiona Calder", "Liberal Democrat", BoardRole.MEMBER, None),
    ("Cllr Kwame Mensah", "Labour", BoardRole.MEMBER, None),
    ("Cllr Rosalind Tate", "Green", BoardRole.MEMBER, None),
    ("Cllr Norman Quayle", "Independent", BoardRole.MEMBER, None),
    ("Cllr Jenny Okonedo", "Labour", BoardRole.SUBSTITUTE, None),
]
# Sat on the board in its first year; kept for the attendance records of that time.
FORMER_MEMBERS = [("Cllr Colin Ambrose", "Conservative", BoardRole.MEMBER)]

CABINET_COMMITTEES = [
    "Adult Social Care and Health Cabinet Committee",
    "Children's, Young People and Education Cabinet Committee",
    "Environment and Transport Cabinet Committee",
    "Growth, Economic Development and Communities Cabinet Committee",
    "Policy and Resources Cabinet Committee",
]

SERVICE_AREAS = [
    "Adult social care",
    "Children's services",
    "Education and SEN transport",
    "Facilities management and property",
    "Highways and transport",
    "Libraries, registration and archives",
    "Public health",
    "Voluntary and community sector",
    "Waste management",
    "Youth services",
    "Economic development",
    "ICT and business services",
]


def _by_slug(model, name):
    obj, _ = model.objects.get_or_create(slug=slugify(name)[:120], defaults={"name": name})
    return obj


def seed(ctx):
    for name in CABINET_COMMITTEES:
        ctx.snippets[name] = _by_slug(CabinetCommittee, name)
    for name in SERVICE_AREAS:
        ctx.snippets[name] = _by_slug(ServiceArea, name)

    members = {}
    for name, group, role, username in MEMBERS:
        member, _ = Member.objects.get_or_create(
            name=name, defaults={"political_group": group, "board_role": role}
        )
        user = ctx.users.get(username) if username else None
        if user is not None and member.user_id is None:
            member.user = user
            member.save(update_fields=["user"])
        members[name] = member
    for name, group, role in FORMER_MEMBERS:
        members[name], _ = Member.objects.get_or_create(
            name=name, defaults={"political_group": group, "board_role": role, "is_current": False}
        )
    ctx.snippets["members"] = members
