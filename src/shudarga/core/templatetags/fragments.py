"""`{% cached fragment %}…{% endcached %}`: the body of a page kept as HTML per change of its
organization (see `core.fragments`). Without a fragment (None) the body renders as usual."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from shudarga.core.fragments import CSRF_PLACEHOLDER

register = template.Library()


class CachedNode(template.Node):
    def __init__(self, fragment: template.base.FilterExpression, nodelist: template.NodeList):
        self.fragment = fragment
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        fragment = self.fragment.resolve(context)
        if fragment is None:
            return self.nodelist.render(context)

        def render(data: dict) -> str:
            with context.push(**data, csrf_token=CSRF_PLACEHOLDER):
                return str(self.nodelist.render(context))

        return mark_safe(fragment.html(render))  # noqa: S308 (the template's own output)


@register.tag("cached")
def do_cached(parser: template.base.Parser, token: template.base.Token) -> CachedNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached fragment %} takes one argument.")
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    return CachedNode(parser.compile_filter(bits[1]), nodelist)
