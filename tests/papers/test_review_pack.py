"""The 12-month review pack (issue 12, item 5): figures counted from factory records equal
figures counted by hand; the HTML, PDF and CSV say the same; a restricted proposal never
reaches a public pack; figures are frozen in the revision the Chair approves."""

import csv
import datetime
import io
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from papers import review_pack_files
from papers.confidentiality import collection_for
from papers.models import BoardDocument, MeetingAttendance, ReviewPackPage
from papers.models.choices import AttendanceStatus, Audience
from papers.models.review_figures import compute_figures, one_year_from
from tests import factories as f
from tests.admin_forms import add_url
from tests.module_data import kept_for_the_module, reread
from tests.papers.review_pack_support import (
    BOARD,
    PUBLIC,
    SECRET_PROVIDER,
    SECRET_TITLE,
    build_records,
    make_pack,
)
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    fresh,
    in_progress,
    login,
    people_fixture,
    task_state,
)
from tests.responses import pdf_text, response_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_records(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records, built once for the module's tests (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        yield build_records()


@pytest.fixture
def records(db, shared_records):
    return reread(shared_records)


def by_label(rows):
    return {row["label"]: (row["attended"], row["expected"]) for row in rows}


def test_public_pack_figures_equal_the_hand_counts(records):
    figures = make_pack().figures

    assert (figures["period"]["start"], figures["period"]["end"]) == PUBLIC["period"]
    assert figures["meetings"]["held"] == PUBLIC["held"]
    assert figures["meetings"]["cancelled"] == PUBLIC["cancelled"]
    attendance = figures["attendance"]
    assert by_label(attendance["members"]) == PUBLIC["members"]
    assert by_label(attendance["groups"]) == PUBLIC["groups"]
    total = attendance["total"]
    assert (total["attended"], total["expected"]) == (PUBLIC["attended"], PUBLIC["expected"])
    assert total["rate"] == PUBLIC["rate"]
    assert total["substitute"] == 1
    assert figures["proposals"]["considered"] == PUBLIC["considered"]
    assert figures["proposals"]["by_stage"] == PUBLIC["by_stage"]
    assert figures["advice"]["given"] == PUBLIC["advice"]
    followed = figures["advice_followed"]
    assert (followed["decisions"], followed["followed"]) == (PUBLIC["decisions"], 1)
    assert followed["share"] == PUBLIC["share"]
    # By the committee each decision's advice was reported to (hand count from the records).
    p1, p2, _p3, p4 = records["committees"]
    expected = Counter({p1: 0, p2: 0, p4: 0})
    for name, is_followed in ((p1, 1), (p2, 0), (p4, 0)):
        expected[name] += is_followed
    decisions = Counter([p1, p2, p4])
    got = {
        row["committee"]: (row["decisions"], row["followed"]) for row in followed["by_committee"]
    }
    assert got == {name: (decisions[name], expected[name]) for name in decisions}
    assert figures["days_to_decision"]["median"] == PUBLIC["median"]
    deadlines = figures["deadlines"]
    assert deadlines["missed"] == PUBLIC["missed"]
    assert deadlines["by_rule"] == PUBLIC["by_rule"]
    assert deadlines["unrecorded"]["agenda"] == PUBLIC["agenda_unrecorded"]
    assert figures["providers"]["reviews"] == PUBLIC["reviews"]
    assert figures["providers"]["providers"] == 1
    module = figures["training"]["modules"][0]
    assert (module["done"], module["of"]) == PUBLIC["training"]


def test_board_pack_counts_restricted_records(records):
    figures = make_pack(audience=Audience.BOARD).figures

    assert figures["meetings"]["held"] == BOARD["held"]
    members = by_label(figures["attendance"]["members"])
    assert {name: members[name] for name in BOARD["members"]} == BOARD["members"]
    total = figures["attendance"]["total"]
    assert (total["attended"], total["expected"]) == (BOARD["attended"], BOARD["expected"])
    assert figures["proposals"]["considered"] == BOARD["considered"]
    followed = figures["advice_followed"]
    assert (followed["decisions"], followed["followed"], followed["partly"]) == (
        BOARD["decisions"],
        BOARD["followed"],
        BOARD["partly"],
    )
    assert figures["providers"]["reviews"] == BOARD["reviews"]


def test_cancelled_meetings_are_never_counted_against_attendance(records):
    figures = make_pack().figures
    cancelled = [m for m in figures["meetings"]["list"] if m["status"] == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0]["expected"] == 0
    # Ada sent apologies to the cancelled meeting and still attended every meeting counted.
    assert by_label(figures["attendance"]["members"])["Cllr Ada Marsh"] == (2, 2)


def test_a_chosen_period_counts_only_its_meetings(records):
    figures = compute_figures(
        Audience.PUBLIC, datetime.date(2025, 6, 1), datetime.date(2025, 9, 30)
    )
    assert figures["period"]["default"] is False
    assert figures["meetings"]["held"] == 1  # m2 only
    assert figures["attendance"]["total"]["expected"] == 3
    assert figures["advice_followed"]["decisions"] == 2  # school transport, libraries


def test_one_year_from_handles_a_leap_day():
    assert one_year_from(datetime.date(2025, 4, 1)) == datetime.date(2026, 3, 31)
    assert one_year_from(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_the_period_must_not_end_before_it_starts(records):
    page = ReviewPackPage(
        title="Pack",
        period_start=datetime.date(2025, 6, 1),
        period_end=datetime.date(2025, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "period_end" in error.value.message_dict


def test_the_page_shows_the_figures_with_tables_and_charts(client, records):
    page = make_pack()
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    figure = {
        dd["data-figure"]: dd.get_text(" ", strip=True) for dd in soup.select("[data-figure]")
    }
    assert figure["held"] == "2" and figure["cancelled"] == "1"
    assert figure["attendance"].startswith("71.4% (5 of 7)")
    assert figure["followed"].startswith("33.3% (1 of 3")
    assert figure["median"].startswith("21 days")
    assert figure["deadlines"] == "3"
    # Every table has a caption and header cells with a scope; every chart a title.
    for table in soup.select("main table"):
        assert table.caption is not None and table.caption.get_text(strip=True)
        assert all(th.get("scope") in ("col", "row") for th in table.select("th"))
    charts = soup.select("svg[role=img]")
    assert len(charts) == 3 and all(svg.title for svg in charts)
    assert "Labour: 66.7%" in charts[0].desc.get_text()
    groups = soup.select_one("[data-table=attendance-groups]")
    labour = [tr for tr in groups.select("tbody tr") if tr.th.get_text(strip=True) == "Labour"][0]
    assert "2 of 3" in labour.get_text(" ", strip=True)


def test_a_restricted_proposal_never_appears_in_a_public_pack(client, records):
    page = make_pack()
    for url in (page.url, page.url + "pdf/", page.url + "csv/"):
        response = client.get(url)
        assert response.status_code == 200
        text = response_text(response)
        for secret in (SECRET_TITLE, SECRET_PROVIDER, "Depot: options"):
            assert secret not in text, f"{secret!r} in {url}"
    assert SECRET_TITLE not in str(page.figures)
    # Nor as a number: its trail (advice partly followed) and its meeting are not counted.
    assert page.figures["advice_followed"]["partly"] == 0
    assert page.figures["proposals"]["considered"] == PUBLIC["considered"]
    # ...and the public pack says what it counts.
    assert "counts only what the public may see" in client.get(page.url).content.decode()


def test_the_pdf_text_contains_the_figures(client, records):
    page = make_pack()
    text = pdf_text(client.get(page.url + "pdf/"))
    assert "1 April 2025 to 31 March 2026" in text
    assert "Meetings held 2" in text
    assert "Meetings cancelled 1" in text
    assert "71.4% (5 of 7)" in text
    assert "33.3% (1 of 3)" in text
    assert "Median days from advice to Key Decision 21" in text
    assert "Deadlines missed 3" in text
    assert "Cllr Cal Dunmore" in text


def test_the_csv_has_a_header_and_a_row_per_figure(client, records):
    page = make_pack()
    response = client.get(page.url + "csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="review-pack.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "item", "measure", "value"]
    cells = {tuple(row[:3]): row[3] for row in rows[1:]}
    assert cells[("meetings", "", "held")] == "2"
    assert cells[("meetings", "", "cancelled")] == "1"
    assert cells[("attendance", "all members", "rate")] == "71.4"
    assert cells[("attendance by group", "Labour", "attended")] == "2"
    assert cells[("attendance by member", "Cllr Cal Dunmore", "substitute")] == "1"
    assert cells[("advice followed", "All Cabinet Committees", "share")] == "33.3"
    assert cells[("days from advice to Key Decision", "", "median")] == "21"
    assert cells[("deadlines", "", "missed")] == "3"
    assert cells[("providers", "", "reviews")] == "1"


def test_figures_are_frozen_until_the_page_is_saved_again(client, records):
    page = make_pack()
    m1 = records["meetings"][0]
    ben = records["members"][1]
    MeetingAttendance.objects.filter(meeting=m1, member=ben).update(status=AttendanceStatus.PRESENT)
    # The published pack keeps the figures the Chair approved...
    assert fresh(page).figures["attendance"]["total"]["attended"] == 5
    assert "5 of 7" in client.get(page.url).content.decode()
    # ...until it is saved (and approved) again.
    revision = fresh(page).save_revision()
    assert revision.as_object().figures["attendance"]["total"]["attended"] == 6
    assert fresh(page).figures["attendance"]["total"]["attended"] == 5
    revision.publish()
    assert fresh(page).figures["attendance"]["total"]["attended"] == 6


@pytest.fixture
def renders(monkeypatch):
    """The PDFs WeasyPrint renders, one entry each."""
    rendered = []
    original = review_pack_files.render_pdf

    def counting(page, request):
        rendered.append(page.live_revision_id)
        return original(page, request)

    monkeypatch.setattr(review_pack_files, "render_pdf", counting)
    return rendered


def test_the_pdf_is_rendered_once_per_published_revision(client, records, renders):
    page = make_pack()
    client.force_login(f.BoardMemberUserFactory())  # signed in: no page cache in front
    first = client.get(page.url + "pdf/")
    again = client.get(page.url + "pdf/")
    assert again["Content-Type"] == "application/pdf"
    assert again.content == first.content and len(renders) == 1
    # A new revision (recounted, approved) is a new PDF, rendered once more.
    m1, ben = records["meetings"][0], records["members"][1]
    MeetingAttendance.objects.filter(meeting=m1, member=ben).update(status=AttendanceStatus.PRESENT)
    fresh(page).save_revision().publish()
    newer = client.get(page.url + "pdf/")
    assert len(renders) == 2 and renders[0] != renders[1]
    assert "6 of 7" in pdf_text(newer) and "5 of 7" in pdf_text(first)
    client.get(page.url + "pdf/")
    assert len(renders) == 2


def test_a_pdf_rendered_for_a_reader_with_more_access_is_never_served_to_one_with_less(
    client, records, renders
):
    appendix = BoardDocument(title="Annex", collection=collection_for(Audience.PUBLIC))
    appendix.file.save("annex.txt", ContentFile(b"Annex"), save=False)
    appendix.save()
    link = f'<a linktype="document" id="{appendix.pk}">Tansley annex of costs</a>'
    page = make_pack(introduction=f"<p>See the {link}.</p>")
    # The document is restricted to the board after the pack was published: its link (and the
    # link's text) is now for board members only, in the PDF as on the page.
    appendix.collection = collection_for(Audience.BOARD)
    appendix.save()
    board = Client()
    board.force_login(f.BoardMemberUserFactory())
    assert "Tansley annex" in pdf_text(board.get(page.url + "pdf/"))
    assert "Tansley annex" not in pdf_text(client.get(page.url + "pdf/"))
    councillor = Client()
    councillor.force_login(f.CouncillorUserFactory())
    assert "Tansley annex" not in pdf_text(councillor.get(page.url + "pdf/"))
    # Each view of the pack was rendered once: the councillor had the public's.
    assert len(renders) == 2
    assert "Tansley annex" in pdf_text(board.get(page.url + "pdf/"))
    assert len(renders) == 2


def test_a_board_only_pack_is_not_served_to_the_public(client, records):
    page = make_pack(audience=Audience.BOARD)
    for url in (page.url, page.url + "pdf/", page.url + "csv/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert SECRET_TITLE.encode() not in response.content


# -- through the Chair's approval, in the admin --------------------------------------------


def test_the_pack_goes_to_the_chair_and_publishes_the_figures_she_approved(
    client, board, people, records
):
    login(client, people.officer)
    url = add_url(ReviewPackPage, board.about)
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["attachments-count"] = "0"
    data["body-count"] = "0"
    data.update(
        {
            "title": "The board's first year",
            "slug": "first-year",
            "period_start": "",
            "period_end": "",
            "action-submit": "submit",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ReviewPackPage.objects.get(slug="first-year")
    assert not page.live and in_progress(page)
    submitted = page.get_latest_revision_as_object().figures
    assert submitted["meetings"]["held"] == PUBLIC["held"]

    # Records change while the pack waits for the Chair: approval publishes what she reviewed.
    MeetingAttendance.objects.filter(status=AttendanceStatus.APOLOGIES).delete()
    login(client, people.chair)
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
    assert preview.status_code in (200, 405)
    action = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state(page).pk]
    )
    assert client.post(action, {"comment": ""}).status_code in (200, 302)
    page = fresh(page)
    assert page.live
    assert page.figures == submitted
    assert page.figures["attendance"]["total"]["expected"] == PUBLIC["expected"]


def test_an_officer_cannot_publish_the_pack_directly(client, board, people, records):
    login(client, people.officer)
    url = add_url(ReviewPackPage, board.about)
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["attachments-count"] = "0"
    data["body-count"] = "0"
    data.update({"title": "Pack", "slug": "pack", "action-publish": "action-publish"})
    client.post(url, data)
    page = ReviewPackPage.objects.filter(slug="pack").first()
    assert page is None or not page.live


def test_followed_counts_only_key_decision_steps(records):
    # The call-in and committee steps carry no advice_followed; only Key Decisions count.
    figures = compute_figures(Audience.BOARD)
    counted = figures["advice_followed"]
    assert counted["followed"] + counted["partly"] + counted["not_followed"] == 4
    assert counted["not_followed"] == 2
