"""The site's emails: one template pair (``NAME.txt`` and ``NAME.html``) rendered into a
plain-text message with an HTML alternative.

Every email is read away from the site, so its links are absolute and built from the configured
site address (``papers.site_address``), never the host of a request; the templates get that
address as ``link_base`` to prefix site-relative paths.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .site_address import site_root_url


def one_click_unsubscribe(url):
    """RFC 8058 headers: mail clients offer "unsubscribe" and POST to ``url``."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def site_email(template, context, *, subject, to, headers=None):
    """The email of ``template`` (``papers/email/NAME``, without extension) rendered with
    ``context``, from ``DEFAULT_FROM_EMAIL``; not sent."""
    context = {"link_base": site_root_url(), **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=to,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
