"""The widgets in a real browser: JupyterLab on 127.0.0.1, Chromium driven by Playwright.

A notebook builds an MLP (under `%%tfmini_graph`), shows its graph and scope tree, and has a
reset button. The test runs it, clicks reset, re-runs the network cell twice, checks the SVG's
node count and that the tree expands, and saves a screenshot under logs/browser/ (gitignored).

Chromium and Graphviz come from Debian's packages (tests/browser/install_system_deps.sh, which
`make test` runs first); Playwright drives /usr/bin/chromium and never downloads a browser.
Nothing is skipped: a missing piece fails the test with what to install.
"""
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHOTS = REPO / "logs" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
BUDGET_S = 120

SETUP = """\
%load_ext tfmini.widgets
import numpy as np
import tfmini as tf
import tfmini.widgets as tw
"""

NETWORK = """\
x = tf.placeholder(tf.float32, [None, 784], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
with tf.variable_scope("mlp"):
    h = tf.layers.dense(x, 64, activation=tf.nn.relu, name="hidden1")
    h = tf.layers.dense(h, 64, activation=tf.nn.relu, name="hidden2")
    logits = tf.layers.dense(h, 10, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits), name="loss")
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
"""

GRAPH = """\
view = tw.GraphView(fetches=[train_op, loss], feed_dict={x: np.zeros((2, 784), np.float32)}, session=sess)
print("NODES", view.node_count)
view
"""

TREE = "tw.ScopeTree(session=sess)"
RESET = "tw.ResetButton()"
MONITOR = """\
xs = np.random.RandomState(0).rand(64, 784).astype(np.float32)
ys = np.arange(64) % 10
mon = tw.TrainingMonitor(total=20, metrics=("loss",))
for step in range(20):
    _, l = sess.run([train_op, loss], {x: xs, y: ys})
    mon.update(step + 1, loss=l)
mon.close()
"""
WASM = """\
# Graphviz in WebAssembly (the easydot package), as where `dot` is missing
tw.GraphView(renderer="wasm") if tw.render.wasm_bundle_path() else print("no wasm")
"""


def _cells():
    return [SETUP, "%%tfmini_graph\n" + NETWORK, GRAPH, TREE, RESET, MONITOR, WASM]


def _notebook(path):
    nb = {"nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "cells": [{"cell_type": "code", "id": "c%d" % i, "metadata": {}, "execution_count": None, "outputs": [],
                     "source": src} for i, src in enumerate(_cells())]}
    path.write_text(json.dumps(nb, indent=1))


def _expected_node_count():
    """The graph cell's node count, computed here with the same code (the browser must draw as many)."""
    code = textwrap.dedent("""
        import numpy as np, tfmini as tf, tfmini.widgets as tw
        %s
        view = tw.GraphView(fetches=[train_op, loss], feed_dict={x: np.zeros((2, 784), np.float32)})
        print(view.node_count, tw.render.svg_node_count(view.svg))
        """) % NETWORK
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    units, svg_nodes = map(int, out.stdout.split())
    assert units == svg_nodes
    return units


def _require_system_packages():
    script = HERE / "install_system_deps.sh"
    if not (os.path.exists(CHROMIUM) and shutil.which("dot")):
        subprocess.run(["bash", str(script)], check=False, timeout=600)
    missing = [p for p, ok in (("chromium", os.path.exists(CHROMIUM)), ("graphviz", shutil.which("dot"))) if not ok]
    if missing:
        pytest.fail("the browser test needs Debian's %s: as root run `apt-get update && apt-get install -y %s` "
                    "(make test does when it runs as root)" % (" and ".join(missing), " ".join(missing)))
    probe = subprocess.run([sys.executable, "-c", "import tfmini.widgets, jupyterlab, ipywidgets, playwright"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail("the browser test needs tfmini installed with its test extra (`make test` does "
                    "`pip install -e '.[test]'`): %s" % probe.stderr.strip().splitlines()[-1])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Lab:
    """JupyterLab on 127.0.0.1 with a token, serving a temporary folder; stopped on exit."""

    def __init__(self, root):
        self.root = root
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.log = open(root / "jupyter.log", "w")
        # no "Would you like to get notified about Jupyter news?" over the screenshot
        labconfig = root / ".jupyter" / "labconfig"
        labconfig.mkdir(parents=True)
        (labconfig / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / ".jupyter"), JUPYTER_DATA_DIR=str(root / ".data"),
                   JUPYTER_RUNTIME_DIR=str(root / ".runtime"), IPYTHONDIR=str(root / ".ipython"),
                   MPLBACKEND="Agg")
        env.pop("JUPYTER_PATH", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             "--ServerApp.port=%d" % self.port, "--ServerApp.port_retries=0",
             "--IdentityProvider.token=%s" % self.token, "--ServerApp.root_dir=%s" % root,
             "--LabApp.expose_app_in_browser=True",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             "--LabApp.extension_manager=readonly"] + (["--allow-root"] if os.getuid() == 0 else []),
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=str(root), start_new_session=True)

    def url(self, path):
        return "http://127.0.0.1:%d/%s?token=%s" % (self.port, path, self.token)

    def wait(self, timeout=60):
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("JupyterLab did not start:\n" + (self.root / "jupyter.log").read_text()[-3000:])

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


# JavaScript run in the page (JupyterLab exposes its app as window.jupyterapp with expose_app_in_browser)
_JS_RUN_CELL = """async (i) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  panel.content.activeCellIndex = i;
  panel.content.deselectAll();
  await app.commands.execute('notebook:run-cell');
}"""
_JS_STATE = """(i) => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext.session) return null;
  const kernel = panel.sessionContext.session.kernel;
  const cell = panel.content.widgets[i];
  const outs = cell.model.outputs.toJSON();
  return {status: kernel ? kernel.status : 'none', count: cell.model.executionCount,
          errors: outs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
          text: outs.map(o => o.text || (o.data && o.data['text/plain']) || '').join('')};
}"""


def _run_cell(page, i, timeout=60):
    before = page.evaluate(_JS_STATE, i)["count"]
    page.evaluate(_JS_RUN_CELL, i)
    t0 = time.time()
    while time.time() - t0 < timeout:
        state = page.evaluate(_JS_STATE, i)
        if state["count"] is not None and state["count"] != before and state["status"] == "idle":
            assert not state["errors"], "cell %d failed: %s" % (i, state["errors"])
            return state
        page.wait_for_timeout(100)
    raise AssertionError("cell %d did not finish in %ds: %s" % (i, timeout, page.evaluate(_JS_STATE, i)))


def test_notebook_graph_tree_reset_in_chromium(capsys):
    t_start = time.time()
    _require_system_packages()
    from playwright.sync_api import sync_playwright
    expected_nodes = _expected_node_count()

    root = pathlib.Path(tempfile.mkdtemp(prefix="tfmini-lab-"))
    _notebook(root / "widgets.ipynb")
    lab = _Lab(root)
    try:
        lab.wait()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 2200})
            page.goto(lab.url("lab/tree/widgets.ipynb"))
            page.wait_for_function("() => { const a = window.jupyterapp; const p = a && a.shell.currentWidget;"
                                   " return p && p.sessionContext && p.sessionContext.session &&"
                                   " p.sessionContext.session.kernel &&"
                                   " p.sessionContext.session.kernel.status === 'idle'; }", timeout=60000)
            # the execution counts the kernel gave (In[n]): the first cell's is not always 1 (JupyterLab 4.6 with
            # ipykernel 7.4 starts at 2 here)
            counts = [_run_cell(page, i)["count"] for i in range(len(_cells()))]

            # the graph: one SVG node per view unit, the missing feed `y` in red
            view = page.locator(".jp-Cell").nth(2)  # the graph cell (cell 6 draws another one)
            svg_nodes = view.locator(".tfmini-graph-view svg g.node")
            svg_nodes.first.wait_for(timeout=20000)
            assert svg_nodes.count() == expected_nodes
            assert view.locator(".tfmini-graph-view svg g.node.tfmini-placeholder").count() == 2
            assert "This run needs a value for y" in view.locator(".tfmini-graph-widget").inner_text()

            # the scope tree expands on a click
            scope = page.locator('details.tfmini-scope[data-scope="mlp/hidden1"]')
            assert scope.get_attribute("open") is None
            scope.locator("summary").first.click()
            page.wait_for_function("() => document.querySelector("
                                   "'details.tfmini-scope[data-scope=\"mlp/hidden1\"]').open")
            assert scope.locator(":scope > table tr.tfmini-var").first.is_visible()

            # the graph expands from its controls: pick the `mlp` scope, Expand
            view.locator(".tfmini-graph-widget select").select_option(label="mlp  [scope]")
            view.locator(".tfmini-graph-widget button.tfmini-expand").click()
            page.wait_for_function("(n) => document.querySelectorAll('.jp-Cell')[2]"
                                   ".querySelectorAll('.tfmini-graph-view svg g.node').length > n",
                                   arg=expected_nodes, timeout=20000)
            expanded_nodes = svg_nodes.count()
            assert view.locator(".tfmini-graph-view svg g.cluster").count() >= 1

            # a node's card
            view.locator(".tfmini-graph-widget select").select_option(label="loss  [Mean]")
            try:
                page.wait_for_function("() => (document.querySelector('.tfmini-card') || {}).innerText"
                                       " && document.querySelector('.tfmini-card').innerText.includes('created at')",
                                       timeout=20000)
            except Exception:
                print(view.locator(".tfmini-graph-widget").inner_html()[:3000])
                raise
            card = view.locator(".tfmini-card").inner_text()
            # created at the loss line of the network cell (cell 1), named as IPython names that cell
            created = "In[%d], line 8" % counts[1]
            assert "loss:0" in card and "scalar float32" in card and created in card, (counts, card)

            # the WebAssembly Graphviz draws in the page, with nothing from the network
            SHOTS.mkdir(parents=True, exist_ok=True)
            wasm_out = page.locator(".jp-Cell").nth(6)
            wasm_out.scroll_into_view_if_needed()
            wasm = "no wasm" not in wasm_out.locator(".jp-Cell-outputArea").inner_text()
            if wasm:
                wasm_out.locator("svg g.node").first.wait_for(timeout=20000)
                assert wasm_out.locator("svg g.node").count() == expected_nodes
                wasm_out.screenshot(path=str(SHOTS / "wasm.png"))

            page.locator(".jp-Cell").nth(2).scroll_into_view_if_needed()
            shot = SHOTS / "notebook.png"
            page.screenshot(path=str(shot), full_page=True)

            # reset, then the network cell twice: no "already exists", the old session is closed
            page.locator("button.tfmini-reset").click()
            page.wait_for_function("() => (document.querySelector('.tfmini-reset-status') || {}).innerText"
                                   " && document.querySelector('.tfmini-reset-status').innerText.includes('Reset:')",
                                   timeout=20000)
            status = page.locator(".tfmini-reset-status").inner_text()
            assert "1 session closed" in status, status
            _run_cell(page, 1)
            _run_cell(page, 1)
            _run_cell(page, 2)
            assert "NODES %d" % expected_nodes in page.evaluate(_JS_STATE, 2)["text"]
            view.locator(".tfmini-graph-view svg g.node").first.wait_for(timeout=20000)
            assert view.locator(".tfmini-graph-view svg g.node").count() == expected_nodes
            _run_cell(page, 3)
            page.screenshot(path=str(SHOTS / "after-reset.png"), full_page=True)
            browser.close()
    finally:
        lab.stop()
        shutil.rmtree(root, ignore_errors=True)
    elapsed = time.time() - t_start
    with capsys.disabled():  # shown whatever pytest captures
        print("\nbrowser test: screenshot %s (and after-reset.png%s); %d graph nodes collapsed, %d with mlp "
              "expanded; %.0fs" % (shot, ", wasm.png" if wasm else "", expected_nodes, expanded_nodes, elapsed))
    assert elapsed < BUDGET_S, "the browser test took %.0fs (budget %ds)" % (elapsed, BUDGET_S)
