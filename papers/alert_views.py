"""Alerts by email: anyone's subscription (double opt-in, one-click unsubscribe) and a signed-in
member's saved searches (kept, renamed, re-timed and deleted from ``/account/``).

Every page here carries a personal form or token, so each is marked private (papers.caching
keeps no copy and sends ``private, no-store``). The subscribe form answers the same whatever
the address (subscribed already or not), and refuses a flood from one address or to one
mailbox (``RATE_LIMITS``) without saying which.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .alert_mail import (
    describe,
    read_confirm_token,
    read_unsubscribe_token,
    search_querystring,
    send_confirmation,
    unsubscribe,
)
from .caching import mark_private
from .client_address import client_ip
from .models import EmailSubscription, Frequency, SavedSearch, Topic

# (cache key prefix, most requests, per seconds): from one client address, and to one mailbox.
RATE_LIMITS = {"ip": (10, 3600), "email": (3, 86400)}
MAX_SAVED_SEARCHES = 50
EMAIL_FREQUENCIES = [(Frequency.DAILY, "Daily"), (Frequency.WEEKLY, "Weekly")]


def _over_limit(kind, value):
    """Count one request against ``kind``'s limit; True once it is exceeded."""
    most, seconds = RATE_LIMITS[kind]
    key = f"papers-alerts-{kind}-{value}"
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > most
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return False


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    topic = forms.ChoiceField(
        label="What you want to hear about",
        choices=Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to hear about"},
    )
    frequency = forms.ChoiceField(
        label="How often", choices=EMAIL_FREQUENCIES, initial=Frequency.DAILY,
        widget=forms.RadioSelect,
    )  # fmt: skip
    search = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        data["search"] = search_querystring_from(data.get("search", ""))
        if data.get("topic") == Topic.SEARCH and not data["search"]:
            self.add_error(
                "topic", "To be sent a search, search first, then choose “Get email alerts”"
            )
        return data


def search_querystring_from(raw):
    return search_querystring(QueryDict(raw or ""))


def _private(request):
    mark_private(request)
    return request


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """/alerts/subscribe/: choose decisions, minutes or (from the search page) a search."""
    _private(request)
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            _subscribe(request, form.cleaned_data)
            return redirect("alerts_check_email")
    else:
        search = search_querystring_from(request.GET.urlencode())
        topic = Topic.SEARCH if search else None
        form = SubscribeForm(initial={"search": search, "topic": topic})
    search = search_querystring_from(form["search"].value())
    described = describe(EmailSubscription(topic=Topic.SEARCH, querystring=search))
    context = {"form": form, "search": search, "search_description": described if search else ""}
    return render(request, "papers/alerts/subscribe.html", context)


def _subscribe(request, data):
    """Start (or restart) an unconfirmed subscription and send its confirmation link, unless
    a limit is reached or the address already has it: the visitor is told the same either way."""
    email = data["email"].strip()
    if _over_limit("ip", client_ip(request)) or _over_limit("email", email.lower()):
        return
    query = data["search"] if data["topic"] == Topic.SEARCH else ""
    existing = EmailSubscription.objects.filter(
        email__iexact=email, topic=data["topic"], querystring=query
    ).first()
    if existing is not None and existing.confirmed_at is not None:
        return  # subscribed already; saying so would tell anyone who is
    if existing is None:
        existing = EmailSubscription.objects.create(
            email=email, topic=data["topic"], querystring=query, frequency=data["frequency"]
        )
    else:
        existing.frequency = data["frequency"]
        existing.created_at = timezone.now()
        existing.save(update_fields=["frequency", "created_at"])
    send_confirmation(existing)


@never_cache
def check_email(request):
    _private(request)
    return render(request, "papers/alerts/check_email.html")


def _bad_token(request, what):
    return render(request, "papers/alerts/bad_token.html", {"what": what}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET: a button (mail scanners follow links; only a person presses it); POST: confirm."""
    _private(request)
    subscription = read_confirm_token(token)
    if subscription is None:
        return _bad_token(request, "confirm")
    if request.method == "POST" and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    context = {"subscription": subscription, "description": describe(subscription)}
    return render(request, "papers/alerts/confirm.html", context)


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """GET: a page with a button; POST (the button, or a mail client's one-click
    ``List-Unsubscribe=One-Click``): stop the emails. Unsubscribing twice is not an error."""
    _private(request)
    signed, alert = read_unsubscribe_token(token)
    if not signed:
        return _bad_token(request, "unsubscribe")
    if request.method == "POST" or alert is None:
        if alert is not None:
            unsubscribe(alert)
        return render(request, "papers/alerts/unsubscribed.html")
    context = {"description": describe(alert), "is_member": isinstance(alert, SavedSearch)}
    return render(request, "papers/alerts/unsubscribe.html", context)


# A signed-in member's saved searches --------------------------------------------------------


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100,
        error_messages={"required": "Enter a name for the search"},
    )  # fmt: skip
    frequency = forms.ChoiceField(label="Email", choices=Frequency.choices)


@login_required
@require_POST
def save_search(request):
    """From the search page: keep its words and filters under a name, with an email."""
    querystring = search_querystring_from(request.POST.get("search", ""))
    form = SavedSearchForm(request.POST)
    if not querystring:
        messages.error(request, "Search for something first, then save the search.")
    elif request.user.saved_searches.count() >= MAX_SAVED_SEARCHES:
        messages.error(request, f"You can keep up to {MAX_SAVED_SEARCHES} saved searches.")
    elif not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        SavedSearch.objects.create(user=request.user, querystring=querystring, **form.cleaned_data)
        messages.success(request, f"Search saved as “{form.cleaned_data['name']}”.")
        return HttpResponseRedirect(reverse("account") + "#saved-searches")
    return HttpResponseRedirect(reverse("search") + ("?" + querystring if querystring else ""))


@login_required
@require_POST
def change_search(request, pk):
    """Rename it, change how often it is sent, or (with ``delete``) delete it."""
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if "delete" in request.POST:
        saved.delete()
        messages.success(request, f"Saved search “{saved.name}” deleted.")
    else:
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            saved.name = form.cleaned_data["name"]
            saved.frequency = form.cleaned_data["frequency"]
            saved.save(update_fields=["name", "frequency"])
            messages.success(request, f"Saved search “{saved.name}” updated.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(reverse("account") + "#saved-searches")
