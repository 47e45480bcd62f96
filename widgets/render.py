"""Turning DOT text into something a notebook shows: SVG, a browser-side render, or the text.

1. SVG from the `dot` program when it is on PATH (Debian's `graphviz` package);
2. else HTML that lays the graph out in the browser with the Graphviz WebAssembly build that the
   `easydot` package ships (PyPI, BSD-3; its `assets/index.js` is @hpcc-js/wasm-graphviz with the
   WebAssembly inlined), sent with the output so nothing is fetched from the network;
3. else the DOT text itself, escaped, with a line saying how to get pictures.
"""
import base64
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import uuid

__all__ = ["dot_program", "render_svg", "wasm_bundle_path", "to_html", "backend", "svg_node_count"]

_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.S)


def dot_program():
    """The path of Graphviz's `dot`, or None."""
    return shutil.which("dot")


def render_svg(dot_text, timeout=60):
    """SVG text laid out by the `dot` program (RuntimeError if it fails, FileNotFoundError if absent)."""
    prog = dot_program()
    if prog is None:
        raise FileNotFoundError("the Graphviz program `dot` is not on PATH")
    proc = subprocess.run([prog, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError("dot failed: %s" % proc.stderr.decode("utf-8", "replace").strip())
    return _XML_PROLOG.sub("", proc.stdout.decode("utf-8"))


def svg_node_count(svg):
    """How many nodes an SVG from Graphviz draws (its `<g class="node">` groups)."""
    return len(re.findall(r'<g id="[^"]*" class="node[ "]', svg))


def wasm_bundle_path():
    """The Graphviz WebAssembly bundle shipped by the `easydot` package, or None.

    Found without importing easydot (its package directory, then `assets/index.js`).
    """
    try:
        spec = importlib.util.find_spec("easydot")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, "assets", "index.js")
        if os.path.isfile(path):
            return path
    return None


def backend():
    """'dot', 'wasm' or 'text': how `to_html` will show a graph here."""
    if dot_program():
        return "dot"
    if wasm_bundle_path():
        return "wasm"
    return "text"


_bundle_sent = False  # the bundle goes with the first browser-side render of this kernel


def _wasm_html(dot_text, height):
    global _bundle_sent
    div = "tfmini-graph-%s" % uuid.uuid4().hex
    bundle = ""
    if not _bundle_sent:
        with open(wasm_bundle_path(), "rb") as f:
            bundle = base64.b64encode(f.read()).decode("ascii")
        _bundle_sent = True
    # data reaches the script as JSON inside a JS string: '</' is broken so it cannot end the script
    payload = json.dumps({"dot": dot_text, "id": div, "bundle": bundle}).replace("</", "<\\/")
    fallback = html.escape(dot_text)
    return (
        '<div id="%s" class="tfmini-graph" style="overflow:auto;max-height:%dpx">'
        '<pre class="tfmini-dot" style="font-size:10px">%s</pre></div>\n'
        '<script type="module">\n'
        "const p = %s;\n"
        "const w = window;\n"
        "if (p.bundle) {\n"
        "  const src = atob(p.bundle);\n"
        "  const bytes = Uint8Array.from(src, c => c.charCodeAt(0));\n"
        "  const url = URL.createObjectURL(new Blob([bytes], {type: 'text/javascript'}));\n"
        "  w.__tfminiGraphviz = import(url).then(m => m.Graphviz.load());\n"
        "}\n"
        "const el = document.getElementById(p.id);\n"
        "if (!w.__tfminiGraphviz) {\n"
        "  el.insertAdjacentHTML('afterbegin', '<p>Graphviz (WebAssembly) is loaded by the first graph shown "
        "after the kernel starts: re-run that cell to draw this one.</p>');\n"
        "} else {\n"
        "  w.__tfminiGraphviz.then(gv => { el.innerHTML = gv.layout(p.dot, 'svg', 'dot'); })\n"
        "    .catch(e => { el.insertAdjacentText('afterbegin', 'Graphviz (WebAssembly) failed: ' + e); });\n"
        "}\n"
        "</script>" % (div, height, fallback, payload))


def to_html(dot_text, height=720, mode=None):
    """HTML that shows `dot_text`: inline SVG (`dot`), a browser-side layout (WebAssembly), or text."""
    mode = mode or backend()
    if mode == "dot":
        try:
            svg = render_svg(dot_text)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
            return _text_html(dot_text, "The `dot` program failed (%s); the DOT text:" % e)
        return '<div class="tfmini-graph" style="overflow:auto;max-height:%dpx">%s</div>' % (height, svg)
    if mode == "wasm":
        return _wasm_html(dot_text, height)
    return _text_html(dot_text, "No Graphviz here: install the `graphviz` system package (the `dot` program) "
                                "or `pip install easydot` (Graphviz in WebAssembly) to see a picture. The DOT text:")


def _text_html(dot_text, note):
    return ('<div class="tfmini-graph"><p>%s</p><pre class="tfmini-dot" style="font-size:10px;max-height:400px;'
            'overflow:auto">%s</pre></div>' % (html.escape(note), html.escape(dot_text)))
