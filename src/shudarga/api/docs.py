"""Interactive docs served from the Swagger UI files django-ninja ships: no CDN, so the page
works offline and tells no third party who reads it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase


class OfflineSwagger(DocsBase):
    """Always the packaged assets (ninja would fall back to a CDN when "ninja" is missing
    from INSTALLED_APPS; then the static tag fails loudly instead of leaking)."""

    settings: dict[str, Any] = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,  # the default validator is an outside service
    }

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        swagger = {**self.settings, "url": reverse(f"{api.urls_namespace}:openapi-json")}
        return render(
            request, "api/docs.html", {"api": api, "swagger_settings": json.dumps(swagger)}
        )
