"""Put the demo accounts in their groups (the groups and their rights come from papers.roles)."""

from papers.roles import BOARD_MEMBERS, CHAIR, MEMBERS, OFFICERS, ensure_roles

# "members" papers are for every councillor, so a board member is in Members too.
MEMBERSHIP = {
    "officer": [OFFICERS],
    "chair": [CHAIR],
    "member": [BOARD_MEMBERS, MEMBERS],
    "councillor": [MEMBERS],
    "trainee": [BOARD_MEMBERS, MEMBERS],
}


def seed(ctx):
    groups = ensure_roles()  # the site step has just made the sections: grant on them
    for username, names in MEMBERSHIP.items():
        user = ctx.users.get(username)
        if user is not None:
            user.groups.add(*(groups[name] for name in names))
