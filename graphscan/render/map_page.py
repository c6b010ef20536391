"""The map page: one self-contained HTML file from a map description, written atomically.

A ``pyvis.network.Network`` holds the node and edge lists and the vis options; its
``generate_html`` renders graphscan's own autoescaping template (``templates/map.html``), which
inlines vis-network from the installed pyvis and graphscan's script and style, so the page needs
no network at all. Data enters as JSON in ``<script type="application/json">`` blocks with ``<``,
``>`` and ``&`` escaped (ASCII only, so U+2028/2029 too); a CSP allows the two inline scripts by
hash, forbids every connection, and the script only uses ``textContent`` for crawled text.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from graphscan.errors import GraphscanError, OutputFileError, UsageError
from graphscan.render.files import replace_file

__all__ = ["content_security_policy", "json_data", "map_html", "render_map"]

VIS_DIR = ("templates", "lib", "vis-9.1.2")
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_data(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ASCII only, ``<>&`` escaped.

    ``ensure_ascii`` also escapes U+2028 and U+2029, and ``allow_nan=False`` refuses NaN.

    >>> str(json_data({"t": "</script>&\u2028"}))
    '{"t": "\\\\u003c/script\\\\u003e\\\\u0026\\\\u2028"}'
    """
    return Markup(json.dumps(value, ensure_ascii=True, allow_nan=False).translate(_JSON_ESCAPES))


def json_text(text: str) -> Markup:
    """``json_data`` for JSON that is already text (pyvis hands the options over that way)."""
    return json_data(json.loads(text))


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The inline pieces: vis-network from the installed pyvis, graphscan's script and style."""
    vis = importlib.resources.files("pyvis").joinpath(*VIS_DIR)
    own = importlib.resources.files("graphscan.render").joinpath("templates")
    assets = {
        "vis_js": vis.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": vis.joinpath("vis-network.css").read_text(encoding="utf-8"),
        "app_js": own.joinpath("map.js").read_text(encoding="utf-8"),
        "app_css": own.joinpath("map.css").read_text(encoding="utf-8"),
    }
    for name, text in assets.items():
        if re.search(r"</(script|style)", text, re.IGNORECASE):
            raise GraphscanError(f"inline asset {name} contains a closing tag and cannot be inlined")
    return assets


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(assets: Mapping[str, str]) -> str:
    """Only graphscan's two inline scripts and two styles may run; nothing may be fetched."""
    scripts = " ".join(_sha256(assets[name]) for name in ("vis_js", "app_js"))
    styles = " ".join(_sha256(assets[name]) for name in ("vis_css", "app_css"))
    return (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; img-src data:; "
        "connect-src 'none'; font-src 'none'; object-src 'none'; frame-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _vis_options(data: Mapping[str, Any]) -> dict[str, Any]:
    big = len(data["nodes"]) > 5000 or len(data["edges"]) > 20000
    cascade = data["view"] == "cascade"
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "dragNodes": not cascade,
            "keyboard": False,
            "navigationButtons": False,
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "scaling": {
                "min": 12 if cascade else 5,
                "max": 12 if cascade else 42,
                "label": {"enabled": False},
            },
            "font": {"face": "system-ui, sans-serif", "color": "#222", "size": 12},
        },
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": bool(data.get("directed", True)), "scaleFactor": 0.35}},
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
    }


def _environment(assets: Mapping[str, str], meta: Mapping[str, Any]) -> Environment:
    env = Environment(
        loader=PackageLoader("graphscan.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )
    env.filters["json_data"] = json_data
    env.filters["json_text"] = json_text
    env.globals.update(
        assets,
        meta=meta,
        csp=content_security_policy(assets),
        pyvis_version=_version("pyvis"),
        vis_version=VIS_DIR[-1].split("-", 1)[1],
    )
    return env


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _compact_node(node: Mapping[str, Any]) -> dict[str, Any]:
    """A node without its empty fields and with ``label`` only when it differs from ``key``.

    The page's script restores the defaults; a 20k-blog map shrinks by about a third.
    """
    return {
        name: value
        for name, value in node.items()
        if value not in (None, "", [], {}) and not (name == "label" and value == node.get("key"))
    }


def map_html(data: Mapping[str, Any]) -> str:
    """Return the map page for ``data`` (from ``build_map_data`` or ``build_cascade_data``).

    A ``pyvis.network.Network`` holds the node and edge lists and the vis options; its
    ``generate_html`` renders graphscan's autoescaping template instead of pyvis's own. Links
    travel as ``[from, to, kind index, count]`` rows to keep big maps small.
    """
    meta = {key: value for key, value in data.items() if key not in ("nodes", "edges")}
    directed = data.get("directed", True)
    net = Network(
        height="100%", width="100%", directed=directed, heading=data["heading"], cdn_resources="remote"
    )
    net.nodes = [_compact_node(node) for node in data["nodes"]]
    kinds = {row["kind"]: i for i, row in enumerate(data["link_kinds"])}
    net.edges = [[e["from"], e["to"], kinds[e["kind"]], e["count"]] for e in data["edges"]]
    net.options = _vis_options(data)
    net.templateEnv = _environment(_assets(), meta)
    net.path = "map.html"
    return net.generate_html(name="map.html")


def _checked_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"the map file must end in .html: {target}")
    if target.is_dir():
        raise UsageError(f"the map file is a directory: {target}")
    if not target.parent.is_dir():
        raise UsageError(f"the folder of the map file does not exist: {target.parent}")
    return target


def render_map(data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the self-contained map page for ``data`` to ``path`` (only that file) and return it."""
    target = _checked_target(path)
    html = map_html(data)
    try:
        replace_file(target, html.encode("utf-8"))
    except OSError as exc:
        raise OutputFileError(f"cannot write the map to {target}: {exc.strerror or exc}") from exc
    return target
