"""Demo content, built in steps. Each step module has ``seed(ctx)`` and must be idempotent:
look things up by a stable key (slug, username, reference) and create only what is missing."""

from dataclasses import dataclass, field
from importlib import import_module

# Order matters: later steps use what earlier ones made (ctx.pages, ctx.users).
STEPS = [
    "demo.accounts",
    "demo.site",
    "demo.roles",
    "demo.accessibility",
    "demo.people",
    "demo.providers",
    "demo.proposals",
    "demo.interests",
    "demo.meetings",
    "demo.trails",
    "demo.votes",
    "demo.recommissioning",
    "demo.social_value",
    "demo.training",
    "demo.bulk",
    "demo.confidential",
    "demo.digest",
    # After every record it counts (meetings, trails, providers, training, restricted papers).
    "demo.review_pack",
    "demo.approvals",
    "demo.alerts",
]


@dataclass
class DemoContext:
    password: str
    papers: int
    stdout: object
    pages: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    snippets: dict = field(default_factory=dict)
    created: int = 0  # pages created by this run (0 on a second run)

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)


def run(password, papers=0, stdout=None):
    ctx = DemoContext(password=password, papers=papers, stdout=stdout)
    for step in STEPS:
        import_module(step).seed(ctx)
    return ctx
