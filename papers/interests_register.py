"""The public register of members' interests (``/members/interests/``).

Councils publish their members' registered interests (Localism Act 2011, s.29). Published here:
each current member, and for each interest its category and description, nothing else (the
provider and service area an interest is linked to are for conflict prompts only). A sensitive
interest (s.32) is shown only as withheld. Anonymous responses are cached like any public page
and dropped whenever an interest or member changes (papers.cache_invalidation).
"""

from django.db.models import Prefetch
from django.shortcuts import render

from .choices import InterestCategory
from .models import Interest, Member


def register_members():
    """Current members in name order, each with ``interests`` listed: two queries."""
    interests = Interest.objects.order_by("category", "registered_on", "pk")
    return Member.objects.filter(is_current=True).prefetch_related(
        Prefetch("interests", queryset=interests)
    )


def register(request):
    order = {value: n for n, value in enumerate(InterestCategory.values)}
    members = []
    for member in register_members():
        rows = sorted(member.interests.all(), key=lambda i: (order[i.category], i.pk))
        members.append((member, rows))
    return render(request, "papers/interests_register.html", {"members": members})
