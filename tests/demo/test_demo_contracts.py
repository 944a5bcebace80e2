"""The demo's contracts register (issue 14): its CSV for the public and for a councillor, and
what the dashboard flags, on a fixed day."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from papers import attention
from papers.contracts import CSV_HEADER

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def csv_rows(client):
    response = client.get("/contracts/contracts.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_demo_register_and_what_needs_the_boards_attention(client, monkeypatch, capsys):
    monkeypatch.setattr(attention, "today", lambda: TODAY)
    call_command("seed_demo", password="demo-pass-for-tests", stdout=io.StringIO())
    public = csv_rows(client)
    assert public[0] == CSV_HEADER
    references = [row[0] for row in public[1:]]
    assert len(references) == 7 and "TP2-HUB-2026" not in references  # members-only provider
    assert all(row[12] for row in public[1:])  # every demo contract has a review date
    users = get_user_model().objects
    client.force_login(users.get(username="councillor"))
    assert "TP2-HUB-2026" in [row[0] for row in csv_rows(client)]

    grouped = attention.needing_attention(users.get(username="officer"), TODAY)
    flagged = {key: [c.contract_reference for c in found] for key, found in grouped.items()}
    assert flagged == {
        "review_overdue": ["VCS-GR-2024-017", "JC-ICES-2023"],
        "rating_worse": ["SLA-ASC-REA", "JC-ICES-2023", "TFM-2025-E"],
        "ending_no_proposal": ["PH-SS-2024", "ET-HWRC-2022-N", "SLA-ASC-REA"],
    }
    with capsys.disabled():
        print(f"\ndemo contracts CSV header: {','.join(public[0])}")
        print(f"demo contracts CSV rows: {len(references)} public, 8 for a councillor")
        for key, found in flagged.items():
            print(f"dashboard on {TODAY}: {attention.REASONS[key]}: {', '.join(found)}")
