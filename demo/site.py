"""The site's sections under the home page: about the board (terms of reference, membership,
the 12-month review), meetings, proposals, providers and member training."""

from datetime import date

from home.models import HomePage, StandardPage
from papers.models import (
    MeetingIndexPage,
    ProposalIndexPage,
    ProviderIndexPage,
    TrainingIndexPage,
)
from papers.site_address import align_default_site

from .helpers import body, bullets, ensure_page, html

HOME_INTRO = html(
    "The Commissioning Advisory Board is a cross-party board of county councillors. It looks in "
    "depth at the council's commissioning decisions, from home care to facilities management, "
    "before the Key Decisions are taken, and reports its advice to the Cabinet Committees.",
    "Read the board's papers, minutes and decisions, see who provides the council's services "
    "and how well, and find out when the board meets next.",
)

TERMS_OF_REFERENCE = body(
    "about",
    "The County Council set up the Commissioning Advisory Board on the recommendation of its "
    "Member Working Group on Commissioning. The board is an informal, cross-party advisory board "
    "chaired by a backbench member from outside the Executive.",
    ("heading", "Terms of reference"),
    html("The board will:")
    + bullets(
        "consider commissioning decisions in depth and advise the relevant Cabinet Committee "
        "before Key Decisions are taken;",
        "focus on the options, planning and oversight of service and contract specifications "
        "ahead of procurement;",
        "consider how to maximise social value from contracted and commissioned services, "
        "including the balance of price, volume and quality;",
        "hold providers, external and in-house, to account through contract review meetings;",
        "act as a conduit for information on the council's transformation programme to "
        "backbench members;",
        "work with the Leader and Cabinet to set its own agenda and meeting schedule;",
        "work on a non-partisan basis that supports genuine debate and discussion;",
        "make sure the members involved are trained to contribute effectively.",
    ),
    ("heading", "What the board does not do"),
    "Key Decisions on commissioning still go to the relevant Cabinet Committee for endorsement "
    "and are taken by the Cabinet Member. The board's recommendations are reported to the "
    "Cabinet Committee for its consideration.",
    ("heading", "Confidential information"),
    "Members of the board see information that is commercially confidential or shared with the "
    "council in confidence. They use it only to discuss commissioning options and decisions. "
    "Papers that are exempt under Schedule 12A to the Local Government Act 1972 are marked as "
    "such and are read only by the board.",
)

MEMBERSHIP = body(
    "membership",
    "The board has thirteen members drawn from the political groups on the County Council in "
    "proportion to their numbers. The Chair comes from outside the Executive; the Vice-Chair "
    "from an opposition group. Each group may name a substitute.",
    "Members declare any interest in an item at the start of each meeting; declarations are "
    "recorded in the minutes.",
)

REVIEW = body(
    "review",
    "When the County Council set up the board it committed to the arrangement for twelve months "
    "and asked for a review at the end of that period. This is that review, considered by the "
    "board on 14 January 2026 and reported to the Policy and Resources Cabinet Committee.",
    ("heading", "What worked"),
    bullets(
        "Members saw eleven commissioning proposals at the analyse or plan stage, before "
        "specifications were fixed, instead of at Cabinet Committee when options had closed.",
        "Social value weightings were debated openly for every tender over £1 million; two "
        "contracts were split into local lots so that smaller providers could bid.",
        "Contract review meetings with providers, including the six-month review of the total "
        "facilities management contract, gave members a direct line of sight to performance.",
        "Transformation programme briefings reached backbench members through the board's "
        "members-only papers.",
    ),
    ("heading", "What needs to change"),
    bullets(
        "Papers arrived too late for two meetings; the board asks for papers five clear working "
        "days before each meeting.",
        "Too many items were for noting. The work programme should prefer items where the board "
        "can still change the outcome.",
        "Training attendance was uneven: three members have not completed the social value module.",
    ),
    ("heading", "Recommendation"),
    "The board recommends that the arrangement continue for a further two years, with the aim of "
    "Cabinet Committees becoming the primary route for member engagement in commissioning.",
)

SECTIONS = [
    # key, model, slug, title, intro
    (
        "meetings",
        MeetingIndexPage,
        "meetings",
        "Meetings",
        "Agendas, papers, attendance and minutes of the board's meetings, upcoming and past.",
    ),
    (
        "proposals",
        ProposalIndexPage,
        "proposals",
        "Commissioning proposals",
        "The commissioning proposals the board considers before a Key Decision is taken, at "
        "every stage of the commissioning cycle: analyse, plan, do and review.",
    ),
    (
        "providers",
        ProviderIndexPage,
        "providers",
        "Providers",
        "Who provides the council's commissioned services, their contracts, how they are "
        "performing and what the board found at contract review meetings.",
    ),
    (
        "training",
        TrainingIndexPage,
        "training",
        "Member training",
        "Training modules that help members contribute at each stage of the commissioning cycle.",
    ),
]


def seed(ctx):
    # Links in calendars and feeds use the Site's address: make it the one the demo is served at.
    align_default_site()
    home = HomePage.objects.get()
    if not home.intro:
        home.intro = HOME_INTRO
        home.save_revision(user=ctx.users.get("admin"), log_action=True).publish(
            user=ctx.users.get("admin")
        )
        home.refresh_from_db()
    ctx.pages["home"] = home

    about = ensure_page(
        ctx,
        home,
        StandardPage(
            title="About the board",
            slug="about",
            summary=(
                "What the Commissioning Advisory Board is for, its terms of reference and how it "
                "works with the Cabinet Committees."
            ),
            paper_date=date(2025, 2, 3),
            body=TERMS_OF_REFERENCE,
        ),
    )
    ctx.pages["about"] = about
    ctx.pages["membership"] = ensure_page(
        ctx,
        about,
        StandardPage(
            title="Membership",
            slug="membership",
            summary="The members of the board, their political groups and roles.",
            paper_date=date(2025, 2, 3),
            body=MEMBERSHIP,
            show_members=True,
        ),
    )
    ctx.pages["review"] = ensure_page(
        ctx,
        about,
        StandardPage(
            title="12-month review of the arrangement",
            slug="12-month-review",
            reference="CAB/2026/001",
            summary=(
                "The board's review of its first twelve months: what worked, what needs to "
                "change, and the recommendation that the arrangement continue."
            ),
            paper_date=date(2026, 1, 14),
            body=REVIEW,
        ),
        tags=["governance", "review"],
    )
    for key, model, slug, title, intro in SECTIONS:
        ctx.pages[key] = ensure_page(ctx, home, model(title=title, slug=slug, intro=html(intro)))
