"""Helpers of the sample blogosphere tests: urllib openers that use the sample server as their proxy."""

from __future__ import annotations

import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the test instead of following them."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def proxy_opener(proxy_url: str, follow_redirects: bool = True) -> urllib.request.OpenerDirector:
    """An opener that sends every http request through the sample server as a forward proxy."""
    handlers: list = [urllib.request.ProxyHandler({"http": proxy_url})]
    if not follow_redirects:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers)
