"""File downloads of the API: always an attachment, streamed, and inert in a browser."""

from __future__ import annotations

import io
from typing import IO, Any

from django.http import FileResponse


def attachment_response(
    content: bytes | IO[bytes], *, content_type: str, filename: str
) -> FileResponse:
    """`content` (bytes, or an open binary file read in blocks) as a download named
    `filename` (any script: Django writes `filename*` for non-ASCII names).

    The browser must take the given type as it is and never run the file: an HTML or SVG
    slipped in as evidence stays inert (`nosniff`, `sandbox`). Not cached by proxies.
    """
    handle = io.BytesIO(content) if isinstance(content, bytes) else content
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response


def download_responses(content_types: tuple[str, ...]) -> dict[int, Any]:
    """The OpenAPI `responses` entry of a 200 that is a file of one of `content_types`
    (a JSON file is described as the object it is)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    json_file = {"schema": {"type": "object"}}
    return {
        200: {
            "description": "The file, as an attachment (`Content-Disposition`).",
            "content": {
                content_type: json_file if content_type == "application/json" else binary
                for content_type in content_types
            },
        }
    }
