"""/follow/: a plain-English page about following the board by feed or calendar.

The feed and calendar links on the site lead here first, so a reader who has never used a feed
reader learns what to do with the address instead of landing on raw XML.
"""

from django.shortcuts import render
from django.urls import reverse

FEEDS = [
    ("all", "Everything the board publishes", "Minutes, decisions and proposals as they appear."),
    ("minutes", "Minutes", "The minutes of each meeting, once the Chair has approved them."),
    ("decisions", "Decisions", "Each decision of the board, with its outcome."),
    ("proposals", "Commissioning proposals", "New and updated papers the board will consider."),
]


def follow(request):
    feeds = [
        {
            "title": title,
            "description": description,
            "rss": request.build_absolute_uri(reverse("feed", args=[section])),
            "atom": request.build_absolute_uri(reverse("feed_atom", args=[section])),
        }
        for section, title, description in FEEDS
    ]
    calendar = request.build_absolute_uri(reverse("meetings_calendar"))
    return render(request, "papers/follow.html", {"feeds": feeds, "calendar": calendar})
