"""API errors: JSON `{"code", "message"}` with a stable code and a message in the active
language, for every failure the API can meet."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from shudarga.plans.documents.model import PlanImportError


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[str] = []


class ApiError(Exception):
    """Raised by endpoints and auth for a failure with a stable `code`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors = errors or []
        self.headers = headers or {}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    errors: list[str] | None = None,
) -> HttpResponse:
    data: dict[str, Any] = {"code": code, "message": str(message), "errors": errors or []}
    return api.create_response(request, data, status=status)


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {m}" if name != "__all__" else m
                for name, messages in exc.message_dict.items() for m in messages]  # fmt: skip
    return list(exc.messages)


def form_invalid(form: Any) -> ApiError:
    """400 `invalid` with every error of a bound Django form, field by field."""
    errors = [
        f"{name}: {message}" if name != "__all__" else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    return ApiError(400, "invalid", errors[0] if errors else "", errors)


def install_handlers(api: NinjaAPI) -> None:
    """Route every known exception to one JSON error shape."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = error_response(api, request, exc.status, exc.code, exc.message, exc.errors)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", _("Your role does not allow this."))

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            api,
            request,
            401,
            "unauthorized",
            _("Send a valid API token: “Authorization: Bearer <token>”."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(NinjaValidationError)
    def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors
        ]
        return error_response(
            api, request, 422, "invalid_input", _("The request is not valid."), errors
        )

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        messages = _validation_messages(exc)
        return error_response(
            api, request, 400, "invalid", messages[0] if messages else "", messages
        )

    @api.exception_handler(PlanImportError)
    def _invalid_plan(request: HttpRequest, exc: PlanImportError) -> HttpResponse:
        return error_response(api, request, 400, "invalid_plan", str(exc), [str(exc)])

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, "error", str(exc))


# The error statuses every operation documents (ninja's `codes_4xx` lists all of 4xx).
ERROR_CODES = frozenset({400, 401, 403, 404, 422, 429})
