"""The heavy part of a page, rendered once per change of its organization and shared.

A page whose body changes only when its organization's data does (the plan, its progress,
a report, the dashboard) gives its template a `PageFragment`; the template wraps that body
in `{% cached fragment %}…{% endcached %}` (`core.templatetags.fragments`). The body's HTML
is kept in the memo (`core.memo`, Django's cache: Redis in production, shared by every
process) under a key of the page, the organization's newest change (`change_stamp`), the
roles the person holds there (what they may do decides which buttons show), the language,
the day (due and overdue depend on it) and whatever else the page names (`vary`: the plan,
the period chosen). The rest of the page is rendered live on every request: the top bar with
the user's menu and notification count, and the CSRF token, which the body is rendered
with a placeholder for and which each request puts back.

The body's data comes from `compute()`, called only when the HTML is not in the memo and
always after the key was read; so a change committed meanwhile lands under the old stamp and
is never served under the new one. Everything the body shows must therefore come from
`compute()` (re-read there, not taken from objects the view fetched before the key).

A page that shows a seal's badge (a sealed plan or report) is not kept (`keep=False`): the
badge compares the seal with the rows as they are now, and a change made behind the
application's back moves no change stamp.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from shudarga.core.memo import AuditMemo, change_stamp

# What `{% csrf_token %}` and `{{ csrf_token }}` write in a cached body instead of the
# token; letters only, so escaping leaves it as it is.
CSRF_PLACEHOLDER = "shudargaCsrfTokenPlaceholder"

_FRAGMENTS = AuditMemo("page-fragment", timeout=6 * 3600)


@dataclass
class PageFragment:
    request: Any
    name: str
    organization: Any  # with `access` (from `get_organization_for_user`)
    compute: Callable[[], dict[str, Any]]
    vary: tuple[Hashable, ...] = field(default_factory=tuple)
    # What else the body depends on that is not audited in the organization's chain
    # (survey answers), read with the key.
    stamps: Callable[[], Hashable] | None = None
    # False: rendered on every request, never kept. For a page that checks a seal: the
    # check must see the rows as they are, also when someone changed them behind the
    # application's back (no audited change, so no new key).
    keep: bool = True
    # The stamp of what the body shows, when it is more than the organization's own data: a
    # parent body's pages pass `organizations.selectors.subtree_change_stamp`.
    stamp: Callable[[], Hashable] | None = None
    # What `compute()` gave, when this request computed the body (None when it came from
    # the memo): for tests that look at the figures behind a page.
    data: dict[str, Any] | None = None

    def key(self) -> tuple:
        access = getattr(self.organization, "access", None)
        stamp = (
            self.stamp()
            if self.stamp is not None
            else change_stamp(organization_id=self.organization.pk)
        )
        return (
            self.name,
            self.organization.pk,
            self.organization.path,
            stamp,
            tuple(sorted(access.roles)) if access is not None else (),
            get_language(),
            timezone.localdate(),
            *self.vary,
            self.stamps() if self.stamps is not None else None,
        )

    def html(self, render: Callable[[dict[str, Any]], str]) -> str:
        """The body's HTML with this request's CSRF token: from the memo, or `render`ed
        from `compute()`'s context (with the placeholder for the token) and kept."""

        def build() -> str:
            self.data = self.compute()
            return render(self.data)

        body = _FRAGMENTS.get(self.key, build) if self.keep else build()
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(self.request))
        return body
