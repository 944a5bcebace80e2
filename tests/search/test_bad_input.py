"""Any query string and any parameter gets a page with results or a clear message."""

import pytest

from .conftest import client_for

pytestmark = pytest.mark.django_db

QUERIES = [
    '"', '""', '"home care', "home care\"", "*", "care*", "NEAR(", "NEAR(home care, 3)",
    "AND", "OR", "NOT", "home AND care", "home OR", "OR care", "NOT care", "home NOT care",
    "(", ")", "((home)", "home))", "-", "-care", "--care", "- care", "-\"home care\"",
    "\x00", "home\x00care", "x" * 10_000, "care " * 2_000, "😀", "care 😀 home", "ケア",
    "'; DROP TABLE wagtailcore_page; --", "1' OR '1'='1", "%", "_", "\\", "\\\\'", "{title}:care",
    "title:care", "care^2", "care~", "[care]", "<script>alert(1)</script>", "&amp;", "   ",
    "25/", "/00012", "25/00012/", "a/b/c/d/e/f", "care.", ".", "...", "\u202e", "\t\n\r",
]  # fmt: skip

PARAMS = [
    {"q": "care", "page": "-1"},
    {"q": "care", "page": "abc"},
    {"q": "care", "page": "999999"},
    {"q": "care", "page": "1e9"},
    {"q": "care", "page": ""},
    {"q": "care", "from": "not a date"},
    {"q": "care", "from": "2025-02-30"},
    {"q": "care", "to": "99999-01-01"},
    {"q": "care", "from": "2026-01-01", "to": "2020-01-01"},
    {"q": "care", "type": "spaceship"},
    {"q": "care", "type": ["proposal", "proposal", ""]},
    {"q": "care", "stage": "nonsense"},
    {"q": "care", "area": "no-such-area"},
    {"q": "care", "committee": "\x00"},
    {"q": "care", "outcome": "maybe"},
    {"q": "care", "sort": "oldest"},
    {"q": ["care", "home"]},
    {"type": "decision"},
    {"page": "2"},
    {},
]


@pytest.mark.parametrize("who", ["anonymous", "board"])
def test_any_query_string(site, users, who):
    client = client_for(users, who)
    for query in QUERIES:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, repr(query)
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html, repr(query)
        assert ("result" in html) or ("Enter words to search for" in html), repr(query)


def test_any_parameter(site, users):
    client = client_for(users, "anonymous")
    for params in PARAMS:
        assert client.get("/search/", params).status_code == 200, params


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "care", "from": "not a date"}, "The ‘from’ date was not understood"),
        ({"q": "care", "to": "2025-02-30"}, "The ‘to’ date was not understood"),
        ({"q": "care", "from": "2026-01-01", "to": "2020-01-01"}, "so they were swapped"),
        ({"q": "care", "type": "spaceship"}, "were not recognised"),
        ({"q": "x" * 10_000}, "only its first 200 characters"),
        ({"q": "-care"}, "Add a word to search for"),
    ],
)
def test_bad_parameters_get_a_clear_message(site, users, params, message):
    html = client_for(users, "anonymous").get("/search/", params).content.decode()
    assert message in html


def test_register_takes_any_input(site, users):
    client = client_for(users, "anonymous")
    extras = [
        {},
        {"outcome": "x", "year": "abc", "key": "maybe", "page": "-5", "committee": "\x00"},
    ]
    for query in QUERIES:
        for extra in extras:
            response = client.get("/decisions/", {"q": query, **extra})
            assert response.status_code == 200, (query, extra)


def test_post_is_refused_politely(users, db):
    assert client_for(users, "anonymous").post("/search/", {"q": "care"}).status_code == 405
