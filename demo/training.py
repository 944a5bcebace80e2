"""Training modules for members of the board."""

from datetime import date

from papers.models import CompletionMethod, TrainingCompletion, TrainingModulePage
from papers.models.choices import Stage

from .helpers import block, body, bullets, ensure_page

MODULES = [
    {
        "slug": "the-commissioning-cycle",
        "title": "The commissioning cycle",
        "stage": "",
        "minutes": 90,
        "summary": "Analyse, plan, do, review: what happens at each stage of commissioning and "
        "where members can make the most difference.",
        "outcomes": [
            "Describe the four stages of the commissioning cycle.",
            "Explain why member involvement matters most at the analyse stage.",
            "Know which decisions are Key Decisions and who takes them.",
        ],
        "body": [
            ("heading", "Analyse"),
            "Understand needs, the market and what the service should achieve. The questions a "
            "member can ask: does the service contribute to the council's outcomes? Is there a "
            "better way? Should it be commissioned countywide or locally, or jointly with the NHS "
            "or district councils?",
            ("heading", "Plan"),
            "Choose the model and write the specification: lots, route to market, evaluation "
            "criteria and the balance of price, volume and quality.",
            ("heading", "Do"),
            "Procure and award the contract, or set up the in-house service.",
            ("heading", "Review"),
            "Manage the contract, hold the provider to account and feed what is learned into "
            "the next cycle.",
        ],
    },
    {
        "slug": "social-value",
        "title": "Social value in commissioning",
        "stage": Stage.PLAN,
        "minutes": 60,
        "summary": "The Public Services (Social Value) Act, and how the balance of price, volume "
        "and quality anchors the board's discussion of social value.",
        "outcomes": [
            "Explain the duty to consider social value under the Act.",
            "Judge whether a price, quality and social value weighting suits a service.",
            "Suggest social value commitments: apprenticeships, local SMEs, voluntary sector.",
        ],
        "body": [
            "The cheapest may not be the best. Sometimes it is better for the county to agree a "
            "more expensive contract, to commission a smaller provider or to split a contract "
            "into smaller local lots.",
            bullets(
                "Apprenticeships and jobs for local people.",
                "Spend with local small businesses and voluntary organisations.",
                "Environmental commitments.",
            ),
        ],
    },
    {
        "slug": "contract-management",
        "title": "Contract management and holding providers to account",
        "stage": Stage.REVIEW,
        "minutes": 75,
        "summary": "Reading a performance report, RAG ratings and KPIs, and how to run a "
        "contract review meeting with a provider.",
        "outcomes": [
            "Read a contract performance report and its RAG ratings.",
            "Prepare questions for a contract review meeting.",
            "Know who to contact when a performance issue arises.",
        ],
        "body": [
            "Primary responsibility for contract management sits with the Cabinet Member as "
            "contract owner, supported by officers. The board gives members a direct line of "
            "sight to providers, in-house and external alike.",
        ],
    },
    {
        "slug": "reading-a-financial-appraisal",
        "title": "Reading a financial appraisal",
        "stage": Stage.ANALYSE,
        "minutes": 60,
        "summary": "Whole-life costs, net present value, risk and sensitivity: how to read the "
        "financial case in an options appraisal.",
        "outcomes": [
            "Tell annual value from whole-life contract value.",
            "Question the assumptions behind a saving.",
            "Spot optimism bias and missing transition costs.",
        ],
        "body": [
            "Options appraisals compare each option's costs over the life of the contract. Ask "
            "what is included: transition, procurement and contract management costs are often "
            "left out.",
        ],
    },
    {
        "slug": "confidential-information",
        "title": "Handling confidential and exempt information",
        "stage": "",
        "minutes": 30,
        # The site requires this module before board-only papers open to a board member.
        "required": True,
        "how": "Take the 30-minute e-learning course, or book a session with Democratic "
        "Services (democratic.services@example.gov.uk).",
        "summary": "What Schedule 12A exempt information is, why the board sees it, and how to "
        "use it without putting the council at risk.",
        "outcomes": [
            "Recognise exempt papers and their Schedule 12A paragraph.",
            "Use confidential information only for the board's discussions.",
        ],
        "body": [
            "Earlier engagement means sharing information that is commercially confidential. "
            "Members use it only for discussing commissioning options and decisions.",
        ],
    },
]


def seed(ctx):
    index = ctx.pages["training"]
    ctx.pages["training_pages"] = {
        spec["slug"]: ensure_page(
            ctx,
            index,
            TrainingModulePage(
                title=spec["title"],
                slug=spec["slug"],
                stage=spec["stage"],
                duration_minutes=spec["minutes"],
                summary=spec["summary"],
                required_for_board_papers=spec.get("required", False),
                how_to_complete=spec.get("how", ""),
                paper_date=date(2025, 3, 1),
                learning_outcomes=[
                    block("outcome", text, f"{spec['slug']}/outcome/{n}")
                    for n, text in enumerate(spec["outcomes"])
                ],
                body=body(spec["slug"], *spec["body"]),
            ),
            tags=["training"],
        )
        for spec in MODULES
    }

    record_completions(ctx)


# Who has completed what: the usual board member and the Chair have done the required module
# (so the demo's journeys read board papers); "trainee", a new board member, has not.
COMPLETIONS = [
    ("member", "confidential-information", date(2025, 3, 12), CompletionMethod.SESSION),
    ("member", "the-commissioning-cycle", date(2025, 3, 12), CompletionMethod.SESSION),
    ("member", "social-value", date(2025, 4, 2), CompletionMethod.ELEARNING),
    ("chair", "confidential-information", date(2025, 3, 12), CompletionMethod.SESSION),
    ("chair", "the-commissioning-cycle", date(2025, 3, 12), CompletionMethod.SESSION),
    ("chair", "contract-management", date(2025, 5, 20), CompletionMethod.OFFICER),
    ("trainee", "the-commissioning-cycle", date(2025, 9, 3), CompletionMethod.ELEARNING),
]


def record_completions(ctx):
    modules = ctx.pages["training_pages"]
    for username, slug, completed_on, method in COMPLETIONS:
        user = ctx.users.get(username)
        if user is None or slug not in modules:
            continue
        TrainingCompletion.objects.get_or_create(
            module=modules[slug],
            user=user,
            defaults={
                "completed_on": completed_on,
                "method": method,
                "recorded_by": ctx.users.get("officer"),
            },
        )
