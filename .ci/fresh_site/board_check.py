"""Run by .ci/install-check in a fresh `wagtail start` project with the add-on installed
(``manage.py shell < board_check.py``): make a board section under the project's own home page
with a public and a board-only proposal, then ask for them as an anonymous visitor."""

import sys
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.test import Client

from home.models import HomePage
from papers.models import ProposalIndexPage, ProposalPage
from papers.models.choices import Audience

home = HomePage.objects.get()
index = home.add_child(
    instance=ProposalIndexPage(title="Commissioning proposals", slug="proposals")
)
public = index.add_child(
    instance=ProposalPage(
        title="Recommission home care",
        slug="home-care",
        reference="CAB/1",
        paper_date=date(2025, 3, 12),
        summary="Options for re-tendering home care.",
        audience=Audience.PUBLIC,
    )
)
board_only = index.add_child(
    instance=ProposalPage(
        title="Facilities management: commercial terms",
        slug="fm-terms",
        reference="CAB/2",
        paper_date=date(2025, 3, 12),
        summary="Commercially confidential.",
        audience=Audience.BOARD,
        exempt_paragraph="3",
    )
)

client = Client()
failures = []


def expect(path, allowed):
    response = client.get(path)
    print(f"  GET {path} -> {response.status_code}")
    if response.status_code not in allowed:
        failures.append(f"{path}: {response.status_code}, expected one of {allowed}")
    return response


page = expect(public.url, {200})
if public.title not in page.content.decode():
    failures.append(f"{public.url}: the proposal's title is not on its page")
expect(board_only.url, {302, 403})
# The add-on's search: the public proposal is found, the board-only one never listed.
found = expect("/search/?q=care", {200}).content.decode()
if public.title not in found:
    failures.append("/search/?q=care does not list the public proposal")
for words in ("commercial", "facilities management"):
    # The words do find it in the index: only the add-on's visibility rules keep it out.
    if board_only.pk not in [page.pk for page in ProposalPage.objects.live().search(words)]:
        failures.append(f"the search index does not find the board-only proposal by {words!r}")
    found = expect("/search/?" + urlencode({"q": words}), {200}).content.decode()
    if board_only.title in found:
        failures.append(f"/search/?q={words} lists the board-only proposal to the public")
# The add-on's decisions register, feed and sitemap answer in a site that only include()s
# papers.urls.
for path in ("/decisions/", "/feeds/all/", "/sitemap.xml"):
    expect(path, {200})
# The add-on's groups are set up; the host site's own (Wagtail's defaults) are left alone.
groups = set(Group.objects.values_list("name", flat=True))
for name in ("Officers", "Chair", "Board members", "Members", "Editors", "Moderators"):
    if name not in groups:
        failures.append(f"group {name!r} is missing")

if failures:
    print("Install check failed:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("Install check passed.")
