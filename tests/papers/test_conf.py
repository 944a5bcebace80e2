"""The add-on's settings (papers.conf): defaults, this site's values, the section parent."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from wagtail.models import Page

from home.models import HomePage
from papers.conf import DEFAULTS, get_section_parent_model, papers_settings


def test_defaults_when_the_site_sets_nothing():
    with override_settings(BOARD_PAPERS={}):
        assert papers_settings() == {
            "SECTION_PARENT_PAGE_MODEL": "home.HomePage",
            "EXTRA_PAPER_PAGE_MODELS": [],
            "OFFICERS_GROUP": "Officers",
            "CHAIR_GROUP": "Chair",
            "BOARD_MEMBERS_GROUP": "Board members",
            "MEMBERS_GROUP": "Members",
            "COUNCIL_NAME": "County Council",
            "PRIVATE_MEDIA_ROOT": None,
            "REQUIRE_TRAINING_FOR_BOARD_PAPERS": False,
            "MEETING_REMINDER_DAYS": 7,
        }
        assert papers_settings() == DEFAULTS


def test_the_site_overrides_only_what_it_sets():
    with override_settings(BOARD_PAPERS={"COUNCIL_NAME": "Anyshire County Council"}):
        settings = papers_settings()
    assert settings["COUNCIL_NAME"] == "Anyshire County Council"
    assert settings["CHAIR_GROUP"] == "Chair"


def test_this_site_puts_the_sections_under_its_home_page():
    assert get_section_parent_model() is HomePage


def test_the_section_parent_is_resolved_like_wagtails_document_model():
    with override_settings(BOARD_PAPERS={"SECTION_PARENT_PAGE_MODEL": "wagtailcore.Page"}):
        assert get_section_parent_model() is Page
    with (
        override_settings(BOARD_PAPERS={"SECTION_PARENT_PAGE_MODEL": "nohome"}),
        pytest.raises(ImproperlyConfigured, match="app_label.ModelName"),
    ):
        get_section_parent_model()
    with (
        override_settings(BOARD_PAPERS={"SECTION_PARENT_PAGE_MODEL": "home.NoSuchPage"}),
        pytest.raises(ImproperlyConfigured, match="has not been installed"),
    ):
        get_section_parent_model()


def test_an_unknown_key_is_a_configuration_error_not_silently_ignored():
    with (
        override_settings(BOARD_PAPERS={"SECTION_PARENT": "home.HomePage"}),
        pytest.raises(ImproperlyConfigured, match="SECTION_PARENT"),
    ):
        papers_settings()
