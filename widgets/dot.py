"""The graph view as DOT text: a pure function of the view model and what is expanded.

Name scopes start collapsed into one node with their op count; `expanded` lists the scopes
opened (as DOT clusters). Sibling scopes that repeat one block in a chain (`conv3/conv3_1`,
`conv3_2`, `conv3_3`, as `slim.repeat` builds them) fold into one stacked node. Initializers,
savers, summaries and gradients sit in a side lane that can be hidden. Edges carry the static
shape and dtype (`?x784 float32`). Given a `RunSet`, the ops the run executes are lit, fed
tensors are marked, and placeholders the run needs but nobody feeds are red.

    >>> text = graph_to_dot(tf.get_default_graph(), fetches=loss, feed_dict={x: xs})
    >>> text.startswith("digraph")
    True
"""
import re
from dataclasses import dataclass, field

from .model import GraphModel, resolve_run, run_set, shape_text

__all__ = ["graph_to_dot", "build_view", "view_to_dot", "View", "Unit", "dot_string", "lane_key", "fold_key"]

_SUFFIX = re.compile(r"^(.*?)_?(\d+)$")

# node look per kind: shape, fill colour
STYLES = {
    "placeholder": ("invhouse", "#dbeafe"),
    "variable": ("cylinder", "#fef3c7"),
    "constant": ("box", "#f3f4f6"),
    "op": ("ellipse", "#ffffff"),
    "scope": ("box", "#dcfce7"),
    "fold": ("box3d", "#dcfce7"),
    "lane": ("folder", "#f3e8ff"),
}
LIT = "#ea580c"        # executed by the run
FED = "#2563eb"        # a fed tensor
MISSING = "#dc2626"    # a placeholder the run needs, not fed
DIM = "#9ca3af"        # not executed by the run


def lane_key(lane):
    """The `expanded` entry that opens a side lane: 'lane:gradients'."""
    return "lane:" + lane


def fold_key(parent, first_block, last_number):
    """The `expanded` entry that unfolds a stack: 'fold:vgg_16/conv3/conv3_1..3'."""
    return "fold:%s%s..%d" % (parent + "/" if parent else "", first_block, last_number)


def dot_string(text):
    """`text` as a DOT quoted string that Graphviz shows literally.

    Backslashes (DOT escapes like \\N, \\G, \\n) and quotes are escaped; '&' becomes '&amp;'
    because Graphviz decodes entities in labels. Graphviz escapes <, > and quotes in SVG output.
    """
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"%s"' % text.replace("\r", "").replace("\n", "\\n")


@dataclass
class Unit:
    """One node of the view: an op, a collapsed scope, a folded stack, or a collapsed side lane."""
    id: str
    kind: str          # op | scope | fold | lane
    key: str           # op name, scope path, fold key or lane key
    label: str
    lane: str
    ops: list = field(default_factory=list)  # op names inside
    style: str = "op"  # a key of STYLES
    cluster: tuple = ()  # expanded scopes (outermost first) whose cluster holds this node
    tooltip: str = ""


@dataclass
class View:
    """What the DOT text draws: units, the edges between them, and the clusters."""
    units: dict = field(default_factory=dict)       # id -> Unit
    unit_of: dict = field(default_factory=dict)     # op name -> unit id
    edges: dict = field(default_factory=dict)       # (src id, dst id) -> [tensor names]
    control_edges: set = field(default_factory=set)  # (src id, dst id)
    clusters: set = field(default_factory=set)      # (lane, scope path) of expanded scopes drawn
    lanes: list = field(default_factory=list)       # side lanes drawn


# =========================================================================== scopes
def _scope_index(model):
    """Every name prefix that has ops below it -> the op names below or at it."""
    members = {}
    for name in model.ops:
        parts = name.split("/")
        for i in range(1, len(parts)):
            members.setdefault("/".join(parts[:i]), []).append(name)
    for scope in members:
        if scope in model.ops:
            members[scope].insert(0, scope)
    return members


def _trivial(model, scope, members):
    """A scope that is one op and the constants Python operands became ('add' with 'add/y')."""
    return scope in model.ops and all(m == scope or model.ops[m].type == "Const" for m in members[scope])


def _unit_key(model, name, scopes, expanded):
    """('scope', path) for the outermost collapsed scope holding op `name`, or ('op', name);
    and the expanded scopes around it."""
    parts = name.split("/")
    open_scopes = []
    for i in range(1, len(parts) + 1):
        prefix = "/".join(parts[:i])
        if prefix not in scopes:
            continue
        if len(scopes[prefix]) == 1:  # a scope around a single op: show the op
            return ("op", scopes[prefix][0]), tuple(open_scopes)
        if _trivial(model, prefix, scopes):
            return ("op", prefix), tuple(open_scopes)
        if prefix not in expanded:
            return ("scope", prefix), tuple(open_scopes)
        open_scopes.append(prefix)  # an op named like its scope ('W' of 'W/read') is drawn inside it
    return ("op", name), tuple(open_scopes)


def _signature(model, scope, names):
    n = len(scope) + 1
    return tuple(sorted((m[n:], model.ops[m].type) for m in names if m != scope))


# =========================================================================== the view
def build_view(model, expanded=(), side_lane=True, fold=True):
    """Group the model's ops into units (see module doc). Pure: the same input, the same view."""
    expanded = set(expanded)
    scopes = _scope_index(model)
    view = View()
    groups = {}  # (lane, kind, key, cluster) -> op names
    lanes_seen = []
    for op in model.ops.values():
        lane = op.lane
        if lane != "main":
            if not side_lane:
                continue
            if lane not in lanes_seen:
                lanes_seen.append(lane)
            if lane_key(lane) not in expanded:
                groups.setdefault((lane, "lane", lane_key(lane), ()), []).append(op.name)
                continue
        (kind, key), cluster = _unit_key(model, op.name, scopes, expanded)
        groups.setdefault((lane, kind, key, cluster), []).append(op.name)
    view.lanes = [lane for lane in ("init", "save", "summary", "gradients") if lane in lanes_seen]

    fold_labels = {}
    if fold:
        groups, fold_labels = _fold(model, groups, expanded)

    for n, ((lane, kind, key, cluster), names) in enumerate(groups.items()):
        uid = "u%d" % n
        unit = Unit(id=uid, kind=kind, key=key, label="", lane=lane, ops=names, cluster=cluster)
        _describe_unit(model, unit, fold_labels)
        view.units[uid] = unit
        for name in names:
            view.unit_of[name] = uid
        for i in range(len(cluster)):
            view.clusters.add((lane, cluster[i]))

    for uid, unit in view.units.items():
        for name in unit.ops:
            op = model.ops[name]
            for t in op.inputs:
                src = view.unit_of.get(model.tensors[t].op)
                if src is not None and src != uid:
                    view.edges.setdefault((src, uid), [])
                    if t not in view.edges[(src, uid)]:
                        view.edges[(src, uid)].append(t)
            for c in op.control_inputs:
                src = view.unit_of.get(c)
                if src is not None and src != uid and (src, uid) not in view.edges:
                    view.control_edges.add((src, uid))
    view.control_edges = {e for e in view.control_edges if e not in view.edges}
    return view


def _fold(model, groups, expanded):
    """Fold chains of sibling scopes that repeat one block: conv3_1 -> conv3_2 -> conv3_3."""
    unit_of = {}
    for gkey, names in groups.items():
        for name in names:
            unit_of[name] = gkey
    candidates = {}  # (lane, cluster, parent, base, signature) -> [(number, gkey)]
    for gkey, names in groups.items():
        lane, kind, key, cluster = gkey
        if kind != "scope":
            continue
        parent, _, leaf = key.rpartition("/")
        m = _SUFFIX.match(leaf)
        base, number = (m.group(1), int(m.group(2))) if m else (leaf, 0)
        if not base:
            continue
        sig = _signature(model, key, names)
        candidates.setdefault((lane, cluster, parent, base, sig), []).append((number, gkey))

    def feeds(a, b):  # does unit a feed unit b?
        return any(unit_of.get(model.tensors[t].op) == a for name in groups[b] for t in model.ops[name].inputs)

    merged = {}
    labels = {}
    for (lane, cluster, parent, base, _sig), members in candidates.items():
        if len(members) < 2:
            continue
        members.sort()
        run = [members[0]]
        for item in members[1:] + [None]:
            if item is not None and item[0] == run[-1][0] + 1 and feeds(run[-1][1], item[1]):
                run.append(item)
                continue
            if len(run) >= 2:
                first, last = run[0], run[-1]
                first_name = first[1][2].rpartition("/")[2]
                last_name = last[1][2].rpartition("/")[2]
                key = fold_key(parent, first_name, last[0])
                if key not in expanded:
                    target = (lane, "fold", key, cluster)
                    for _, gkey in run:
                        merged[gkey] = target
                    labels[key] = (first_name, last_name, len(run))
            run = [item] if item is not None else []
    if not merged:
        return groups, labels
    out = {}
    for gkey, names in groups.items():
        out.setdefault(merged.get(gkey, gkey), []).extend(names)
    return out, labels


def _describe_unit(model, unit, fold_labels):
    ops = [model.ops[n] for n in unit.ops]
    main_count = len(ops)
    if unit.kind == "op":
        op = model.ops[unit.key] if unit.key in model.ops else ops[0]
        unit.style = op.kind
        parent, _, leaf = op.name.rpartition("/")
        if parent and (not unit.cluster or unit.cluster[-1] != parent):
            # the only op of its scope ('vgg_16/pool1/MaxPool'): named by the scope
            leaf = parent.rpartition("/")[2] + ("" if leaf == op.type else "/" + leaf)
        if op.kind == "variable":
            shape = op.outputs[0].shape if op.outputs else None
            unit.label = "%s\n%s" % (leaf, shape_text(shape))
        elif op.kind == "placeholder":
            unit.label = "%s\n%s" % (leaf, op.outputs[0].shape_text if op.outputs else "")
        elif leaf == op.type:
            unit.label = leaf
        else:
            unit.label = "%s\n%s" % (leaf, op.type)
        unit.tooltip = _op_tooltip(op)
        return
    if unit.kind == "lane":
        lane = unit.key.partition(":")[2]
        unit.style = "lane"
        unit.label = "%s\n%s" % (lane, _count(main_count))
        unit.tooltip = "%s lane: %d ops (initializers, savers, summaries, gradients are drawn aside)" % (
            lane, main_count)
        return
    if unit.kind == "fold":
        first, last, count = fold_labels[unit.key]
        unit.style = "fold"
        unit.label = "%s .. %s\n\u00d7%d \u00b7 %s" % (first, last, count, _count(main_count))
        unit.tooltip = "%d repeated blocks, %s to %s (%d ops): expand to see them" % (count, first, last, main_count)
        return
    # a collapsed scope: shown as its head op's kind when it is a variable or placeholder scope
    head = model.ops.get(unit.key)
    leaf = unit.key.rpartition("/")[2]
    if head is not None and head.kind in ("variable", "placeholder"):
        unit.style = head.kind
        unit.label = "%s\n%s" % (leaf, head.outputs[0].shape_text if head.outputs else "")
        unit.tooltip = _op_tooltip(head)
        return
    unit.style = "scope"
    unit.label = "%s\n%s" % (leaf, _count(main_count))
    types = {}
    for op in ops:
        types[op.type] = types.get(op.type, 0) + 1
    unit.tooltip = "%s (%d ops): %s" % (unit.key, main_count, ", ".join(
        "%s \u00d7%d" % (t, c) if c > 1 else t for t, c in sorted(types.items(), key=lambda kv: -kv[1])[:8]))


def _count(n):
    return "1 op" if n == 1 else "%d ops" % n


def _op_tooltip(op):
    outs = ", ".join("%s %s" % (t.shape_text, t.dtype) for t in op.outputs)
    text = "%s (%s)" % (op.name, op.type)
    if outs:
        text += " -> " + outs
    if op.where:
        text += "\n" + op.where
    return text


# =========================================================================== DOT text
def view_to_dot(model, view, run=None, selected=None):
    """DOT text for `view`; with `run` (a RunSet) the executed units are lit, the rest dimmed."""
    lit = set()
    missing = set()
    fed_units = set()
    if run is not None:
        for name in run.executed:
            uid = view.unit_of.get(name)
            if uid is not None:
                lit.add(uid)
        for name in run.missing:
            uid = view.unit_of.get(name)
            if uid is not None:
                missing.add(uid)
        for t in run.fed:
            uid = view.unit_of.get(model.tensors[t].op) if t in model.tensors else None
            if uid is not None:
                fed_units.add(uid)

    lines = ["digraph tfmini {",
             '  graph [rankdir=TB, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.35, '
             'newrank=true, tooltip=" "];',
             '  node [fontname="Helvetica", fontsize=10, style=filled, penwidth=1.2, margin="0.08,0.03"];',
             '  edge [fontname="Helvetica", fontsize=8, color="#6b7280", arrowsize=0.6];']

    def node_line(unit, indent):
        shape, fill = STYLES.get(unit.style, STYLES["op"])
        attrs = {"label": dot_string(unit.label), "shape": shape, "fillcolor": '"%s"' % fill,
                 "tooltip": dot_string(unit.tooltip or unit.label), "id": '"tfmini-%s"' % unit.id,
                 "class": '"tfmini-%s"' % unit.kind if unit.kind == unit.style else
                 '"tfmini-%s tfmini-%s"' % (unit.kind, unit.style)}
        if unit.style == "scope":
            attrs["style"] = '"rounded,filled"'
        if unit.style == "constant":
            attrs["fontsize"] = "8"
        if run is not None:
            if unit.id in missing:
                attrs.update(color='"%s"' % MISSING, penwidth="3", fillcolor='"#fecaca"',
                             xlabel=dot_string("not fed"), fontcolor='"%s"' % MISSING)
            elif unit.id in lit:
                attrs.update(color='"%s"' % LIT, penwidth="2.5")
            elif unit.id in fed_units:
                attrs.update(color='"%s"' % FED, penwidth="2.5", style='"filled,dashed"')
            else:
                attrs.update(color='"%s"' % DIM, fontcolor='"%s"' % DIM)
        if selected is not None and unit.key == selected:
            attrs["peripheries"] = "2"
        body = ", ".join("%s=%s" % kv for kv in attrs.items())
        return "%s%s [%s];" % (indent, unit.id, body)

    # nest units into clusters: main lane first, then the side lane
    tree = {}
    for unit in view.units.values():
        tree.setdefault(unit.lane, []).append(unit)

    def emit_clusters(units, lane, depth_prefix, indent):
        direct = [u for u in units if len(u.cluster) == len(depth_prefix)]
        deeper = {}
        for u in units:
            if len(u.cluster) > len(depth_prefix):
                deeper.setdefault(u.cluster[len(depth_prefix)], []).append(u)
        for u in direct:
            lines.append(node_line(u, indent))
        for i, (scope, inner) in enumerate(deeper.items()):
            cid = "cluster_%s_%d_%d" % (lane, len(depth_prefix), len(lines))
            lines.append("%ssubgraph %s {" % (indent, cid))
            lines.append('%s  label=%s; style="rounded"; color="#16a34a"; fontcolor="#166534"; tooltip=%s;'
                         % (indent, dot_string(scope.rpartition("/")[2]), dot_string(scope)))
            emit_clusters(inner, lane, depth_prefix + (scope,), indent + "  ")
            lines.append("%s}" % indent)

    emit_clusters(tree.get("main", []), "main", (), "  ")
    side = [lane for lane in view.lanes if lane in tree]
    if side:
        lines.append("  subgraph cluster_side_lane {")
        lines.append('    label="side lane"; style="dashed"; color="#a855f7"; fontcolor="#7e22ce";')
        for lane in side:
            emit_clusters(tree[lane], lane, (), "    ")
        lines.append("  }")

    def into_closed_lane(src, dst):
        # what a collapsed side lane reads (forward activations, variables) would only clutter
        return view.units[dst].kind == "lane" and view.units[src].lane == "main"

    for (src, dst), tensors in view.edges.items():
        if into_closed_lane(src, dst):
            continue
        cross = view.units[src].lane != view.units[dst].lane
        t0 = model.tensors[tensors[0]]
        label = "%s %s" % (t0.shape_text, t0.dtype.replace("_ref", ""))
        if len(tensors) > 1:
            label += " +%d" % (len(tensors) - 1)
        attrs = {"label": dot_string(label), "tooltip": dot_string(", ".join(tensors[:6]))}
        if cross:
            attrs.update(style="dashed", color='"#c4b5fd"', constraint="false", label='""')
        if run is not None:
            if any(t in run.fed for t in tensors):
                attrs.update(color='"%s"' % FED, penwidth="2.2", fontcolor='"%s"' % FED,
                             label=dot_string("fed: " + label))
            elif dst in lit and src in lit:
                attrs.update(color='"%s"' % LIT, penwidth="2")
            else:
                attrs.update(color='"%s"' % DIM)
        lines.append("  %s -> %s [%s];" % (src, dst, ", ".join("%s=%s" % kv for kv in attrs.items())))
    for src, dst in sorted(view.control_edges):
        if into_closed_lane(src, dst):
            continue
        cross = view.units[src].lane != view.units[dst].lane
        lines.append("  %s -> %s [style=dashed, arrowhead=odot%s];" % (
            src, dst, ', constraint=false, color="#c4b5fd"' if cross else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph_to_dot(graph=None, fetches=None, feed_dict=None, expanded=(), side_lane=True, fold=True,
                 model=None, run=None):
    """DOT text for `graph` (default: the default graph), collapsed except the `expanded` scopes.

    With `fetches` (and `feed_dict`), the ops that `sess.run(fetches, feed_dict)` would execute
    are lit, fed tensors are blue and needed placeholders that are not fed are red; nothing runs.
    """
    if graph is None:
        from tfmini.framework.ops import get_default_graph
        graph = get_default_graph()
    if model is None:
        model = GraphModel.from_graph(graph)
    if run is None and fetches is not None:
        fetch_names, feed_names = resolve_run(graph, fetches, feed_dict)
        run = run_set(model, fetch_names, feed_names)
    view = build_view(model, expanded=expanded, side_lane=side_lane, fold=fold)
    return view_to_dot(model, view, run=run)
