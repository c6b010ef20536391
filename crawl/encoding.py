"""Decode fetched pages to Unicode as browsers do: BOM first, then HTTP header, then ``<meta>``.

Encoding labels are resolved per WHATWG (``iso-8859-1`` and ``ascii`` mean windows-1252); a page
that declares nothing is read as UTF-8 when it is valid UTF-8 and as windows-1252 otherwise.
UTF-7, which WHATWG leaves out (browsers render it as windows-1252, against UTF-7 script
smuggling), is decoded when declared: graphscan reads text, it never renders the page, and its
map escapes every crawled field. Invalid bytes become U+FFFD; nothing here raises on bad input.
"""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode

UTF7_HEADER = re.compile(r"charset\s*=\s*[\"']?utf-?7\b", re.IGNORECASE)
UTF7_META = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?utf-?7\b", re.IGNORECASE)
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters that cannot appear in an lxml tree (XML 1.0 forbids them)."""


def sniff_undeclared(data: bytes) -> str:
    """Return the encoding of a page that declares none: UTF-8 if it decodes, else windows-1252.

    >>> sniff_undeclared("été".encode("utf-8")), sniff_undeclared("été".encode("latin-1"))
    ('utf-8', 'cp1252')
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut by a truncated download is still UTF-8.
        if exc.reason != "unexpected end of data":
            return "cp1252"
    return "utf-8"


def decode_html(body: bytes | str, content_type: str | None = None) -> str:
    """Return the page as text that lxml accepts (no NUL or other control characters).

    >>> decode_html(b"<p>\\x92\\xe9\\x96\\x80</p>", "text/html; charset=ISO-8859-1")
    '<p>’é–€</p>'
    >>> decode_html(b"\\xef\\xbb\\xbf<p>\\xc3\\xa9</p>", "text/html; charset=latin-1")
    '<p>é</p>'
    """
    if isinstance(body, str):
        text = body
    elif declares_utf7(body, content_type):
        text = body.decode("utf-7", errors="replace")
    else:
        _, text = html_to_unicode(content_type, body, auto_detect_fun=sniff_undeclared)
    return CONTROL_CHARS.sub("", text)


def declares_utf7(body: bytes, content_type: str | None) -> bool:
    """True when a page without a BOM declares UTF-7 in its HTTP header or, lacking one, a ``<meta>``.

    >>> declares_utf7(b"<p>H+AOk-l+AOg-ne</p>", "text/html; charset=UTF-7")
    True
    >>> declares_utf7(b'<meta charset="utf-7"><p>x</p>', "text/html; charset=utf-8")
    False
    """
    if body.startswith(BOMS):
        return False
    if content_type and "charset" in content_type.lower():
        return bool(UTF7_HEADER.search(content_type))
    return bool(UTF7_META.search(body[:4096]))
