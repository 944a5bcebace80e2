"""Plain text that cannot break a feed, a calendar, an email header or a spreadsheet.

Two halves:

* **At the form.** Every text field of every admin form Wagtail builds (pages, their inline
  items such as agenda items and decisions, snippets, documents) refuses control characters,
  and single-line fields refuse line breaks too, with a message saying what to remove
  (``register()``, called from ``PapersConfig.ready``, sets this through Wagtail's
  ``register_form_field_override``).
* **On output.** What is already stored is cleaned where it leaves the site: ``one_line`` for
  titles, subjects and headers, ``clean_text`` for longer text. XML 1.0 (RSS, Atom) cannot carry
  most control characters at all, and a line break in an email subject is refused by Django.
"""

import html
import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.html import strip_tags
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminAutoHeightTextInput

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; Unicode's line and
# paragraph separators (a feed reader or a mail client may treat them as line breaks).
CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
CONTROL_RE = re.compile(f"[{CONTROL}]")
# The same, with tab, line feed and carriage return: what a single line must not hold.
NOT_IN_A_LINE_RE = re.compile(f"[\t\n\r{CONTROL}]+")

single_line_validator = RegexValidator(
    NOT_IN_A_LINE_RE,
    inverse_match=True,
    message=(
        "This must be a single line of plain text: remove the line break, tab or invisible "
        "control character (often pasted in from another document)."
    ),
    code="control_characters",
)

multi_line_validator = RegexValidator(
    CONTROL_RE,
    inverse_match=True,
    message=(
        "Remove the invisible control character (often pasted in from another document, "
        "such as a page break or a vertical tab): only ordinary text and line breaks are allowed."
    ),
    code="control_characters",
)


def one_line(text):
    """``text`` on one line: line breaks, tabs and control characters become spaces, and each
    run of white space one space."""
    return " ".join(NOT_IN_A_LINE_RE.sub(" ", str(text or "")).split())


def clean_text(text):
    """``text`` without control characters; line breaks and tabs kept."""
    return CONTROL_RE.sub(" ", str(text or ""))


def html_to_text(markup):
    """Rich text (HTML) as the words a reader sees: no tags, entities decoded, one line."""
    return one_line(html.unescape(strip_tags(markup or "")))


def register():
    """Validate every CharField and TextField in Wagtail's admin forms (see the module note)."""
    register_form_field_override(models.CharField, override={"validators": [single_line_validator]})
    # TextField has Wagtail's own exact-class override (the auto-height widget): keep it.
    register_form_field_override(
        models.TextField,
        override={"widget": AdminAutoHeightTextInput, "validators": [multi_line_validator]},
        exact_class=True,
    )
