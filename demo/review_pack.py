"""The 12-month review pack: a ReviewPackPage under "About the board" for the first twelve
months from the board's first meeting, its figures counted from the demo's records when the
officer saves it and published by the Chair. Idempotent: an existing pack is left alone (its
figures stay those the Chair approved)."""

from datetime import date

from papers.models import ReviewPackPage

from .helpers import ensure_page, html

INTRODUCTION = html(
    "When the County Council set up the board it asked for a review after twelve months. "
    "These are the figures for that review, counted from the board's own records: its "
    "meetings and who attended, the proposals it considered, the advice it gave and what "
    "became of it, the deadlines it met and missed, the providers it held to account and the "
    "training its members completed.",
    "The board's own account of what worked and what needs to change is in the "
    "12-month review of the arrangement.",
)


def seed(ctx):
    about = ctx.pages.get("about")
    if about is None:
        ctx.say("Review pack: no 'About the board' page, nothing added.")
        return
    ctx.pages["review_pack"] = ensure_page(
        ctx,
        about,
        ReviewPackPage(
            title="12-month review pack: the board in figures",
            slug="12-month-review-pack",
            reference="CAB/2026/002",
            paper_date=date(2026, 3, 12),
            summary=(
                "The board's first twelve months in figures: meetings, attendance, proposals, "
                "advice and whether it was followed, deadlines, contract reviews and training."
            ),
            introduction=INTRODUCTION,
        ),
        tags=["governance", "review"],
    )
