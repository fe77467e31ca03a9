"""A person's own settings: the time zone the admin shows their times in."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..profiles import profile_time_zone, profile_time_zone_set
from .base import desk_context


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone for the admin",
        required=False,
        choices=lambda: [("", "UTC"), *((z, z) for z in sorted(zoneinfo.available_timezones()))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_settings(request: HttpRequest) -> HttpResponse:
    current = profile_time_zone(request.user)
    form = TimeZoneForm(request.POST or None, initial={"time_zone": str(current) if current else ""})
    if request.method == "POST" and form.is_valid():
        profile_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"], actor=request.user)
        messages.success(request, f"The admin now shows times in {form.cleaned_data['time_zone'] or 'UTC'}.")
        return redirect("desk:settings")
    return render(
        request, "tickets/settings.html", desk_context(request, form=form), status=400 if form.errors else 200
    )
