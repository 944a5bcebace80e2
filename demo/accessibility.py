"""The accessibility statement the Public Sector Bodies (Websites and Mobile Applications)
(No. 2) Accessibility Regulations 2018 require, at /accessibility/ (linked from every footer)."""

from datetime import date

from home.models import HomePage, StandardPage

from .helpers import body, bullets, ensure_page, html

STATEMENT = body(
    "accessibility",
    "This statement applies to the Commissioning Advisory Board's website: its meetings, "
    "minutes, decisions, commissioning proposals, provider profiles and member training. The "
    "county council runs it, and wants as many people as possible to be able to use it.",
    html("You should be able to:")
    + bullets(
        "zoom in up to 400% without the text spilling off the screen;",
        "navigate the whole site using just a keyboard, starting with a link that skips to the "
        "main content;",
        "navigate most of the site using speech recognition software;",
        "listen to the site using a screen reader (including recent versions of JAWS, NVDA and "
        "VoiceOver);",
        "follow the board's work without visiting the site, through RSS and Atom feeds and a "
        "meetings calendar you can add to your own calendar.",
    ),
    ("heading", "How accessible this website is"),
    "Every kind of page on this site (home, meetings, minutes, decisions register, proposals, "
    "providers, training, search with and without results, sign-in and its error messages, "
    "and the error pages) is checked automatically against the Web Content Accessibility "
    "Guidelines (WCAG) version 2.2 at levels A and AA, using axe-core in a real browser, each "
    "time the site's code changes. Keyboard use is checked too: the skip link, a visible focus "
    "indicator and no keyboard traps.",
    "Some older papers are attached as PDF or Word documents supplied by third parties, such as "
    "providers' reports. These may not be fully accessible: they may lack headings or text "
    "alternatives for charts.",
    ("heading", "Feedback and contact information"),
    "If you need a paper in a different format, such as accessible PDF, large print, easy read, "
    "audio recording or braille, email democratic.services@example.gov.uk or call 03000 000000. "
    "We will consider your request and get back to you within 5 working days.",
    ("heading", "Reporting accessibility problems with this website"),
    "We are always looking to improve the accessibility of this website. If you find any "
    "problems not listed on this page or think we are not meeting accessibility requirements, "
    "contact democratic.services@example.gov.uk.",
    ("heading", "Enforcement procedure"),
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If "
    "you are not happy with how we respond to your complaint, contact the Equality Advisory and "
    "Support Service (EASS).",
    ("heading", "Technical information about this website's accessibility"),
    "The county council is committed to making its website accessible, in accordance with the "
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
    "2018.",
    ("heading", "Compliance status"),
    "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 "
    "AA standard for the pages the council produces. Documents supplied by third parties may not "
    "be, as set out below.",
    ("heading", "Content that is not within the scope of the accessibility regulations"),
    "PDFs and other documents published before 23 September 2018 that are not essential to "
    "providing our services. Any new PDFs or Word documents we publish will meet accessibility "
    "standards.",
    ("heading", "Preparation of this accessibility statement"),
    "This statement was prepared on 2 February 2026. The website is tested with every change to "
    "its code, with automated checks (axe-core) and keyboard-only tests, and by hand before each "
    "release.",
)


def seed(ctx):
    home = ctx.pages.get("home") or HomePage.objects.get()
    ctx.pages["accessibility"] = ensure_page(
        ctx,
        home,
        StandardPage(
            title="Accessibility statement",
            slug="accessibility",
            summary=(
                "How accessible this website is, how to ask for a paper in another format and "
                "how to report a problem."
            ),
            paper_date=date(2026, 2, 2),
            body=STATEMENT,
            show_in_menus=False,
        ),
    )
