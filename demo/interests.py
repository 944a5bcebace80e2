"""The register of interests: invented interests of some demo members (after demo.people and
demo.providers, before demo.meetings, whose minutes link declarations to them).

Chosen so the upcoming meetings show every kind of conflict prompt:

- 20 January 2027, item 4 (voluntary sector grants, public): Cllr Rosalind Tate, a trustee of
  Harbourside Community Trust (a related provider). She has no account: officers see it only.
- 17 March 2027, item 3 (home care, public): Cllr Tom Ashdown (the ``member`` account) advises
  Weald Home Care Partnership, a related provider: he sees the prompt; and Cllr Sunita Rao's
  sensitive interest in adult social care (withheld from the public register).
- 17 March 2027, item 4 (facilities management, exempt, board only): Cllr Graham Whitlock (the
  ``trainee`` account) holds shares in Meridian Facilities Services. Until his training is done
  he may not open board papers, so he is not prompted; officers see it.
- 17 March 2027, item 5 (community transport, exempt): Cllr Norman Quayle, director of a
  community transport charity (service area highways and transport).
"""

from datetime import date

from papers.choices import InterestCategory as C
from papers.models import Interest

# key, member, category, description, registered on, sensitive, provider slug, service area
INTERESTS = [
    (
        "tate-harbourside",
        "Cllr Rosalind Tate",
        C.OTHER,
        "Trustee of Harbourside Community Trust (unpaid)",
        date(2025, 2, 3),
        False,
        "harbourside-community-trust",
        None,
    ),
    (
        "ashdown-weald",
        "Cllr Tom Ashdown",
        C.EMPLOYMENT,
        "Paid adviser on workforce planning to Weald Home Care Partnership Ltd",
        date(2025, 2, 10),
        False,
        "weald-home-care-partnership",
        None,
    ),
    (
        "ashdown-home",
        "Cllr Tom Ashdown",
        C.LAND,
        "His home in Westbrook parish",
        date(2025, 2, 10),
        False,
        None,
        None,
    ),
    (
        "whitlock-meridian",
        "Cllr Graham Whitlock",
        C.SECURITIES,
        "Shares above £25,000 nominal value in Meridian Facilities Services plc",
        date(2026, 10, 1),
        False,
        "meridian-facilities-services",
        None,
    ),
    (
        "rao-sensitive",
        "Cllr Sunita Rao",
        C.EMPLOYMENT,
        "Employed by a care provider at an address refuge residents use",
        date(2025, 3, 1),
        True,
        None,
        "Adult social care",
    ),
    (
        "quayle-transport",
        "Cllr Norman Quayle",
        C.OTHER,
        "Director (unpaid) of Downsway Community Transport, a charity",
        date(2025, 2, 20),
        False,
        None,
        "Highways and transport",
    ),
    (
        "marsh-sponsorship",
        "Cllr Helen Marsh",
        C.SPONSORSHIP,
        "Election expenses met by her local Conservative association",
        date(2025, 2, 1),
        False,
        None,
        None,
    ),
    (
        "mensah-nhs",
        "Cllr Kwame Mensah",
        C.EMPLOYMENT,
        "Physiotherapist, Downland and Coast Community NHS Trust",
        date(2025, 2, 14),
        False,
        "downland-and-coast-community-nhs-trust",
        None,
    ),
]


def seed(ctx):
    members = ctx.snippets["members"]
    providers = ctx.pages.get("provider_pages", {})
    interests = {}
    for key, name, category, description, on, sensitive, provider, area in INTERESTS:
        interest, _ = Interest.objects.get_or_create(
            member=members[name],
            description=description,
            defaults={
                "category": category,
                "registered_on": on,
                "is_sensitive": sensitive,
                "provider": providers.get(provider) if provider else None,
                "service_area": ctx.snippets[area] if area else None,
            },
        )
        interests[key] = interest
    ctx.snippets["interests"] = interests
