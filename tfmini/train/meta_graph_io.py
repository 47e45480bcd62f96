"""tf.train.import_meta_graph: a saved graph back in the default graph, with its Variables and a Saver.

The MetaGraphDef format (and tf.train.export_meta_graph) is in tfmini/framework/meta_graph.py;
this module adds what the framework cannot make itself: tf.Variable objects for the variable
collections and the Saver of the saved SaverDef.
"""
import logging

from ..framework import meta_graph
from ..framework.ops import GraphKeys, get_default_graph
from ..variables import Variable
from .saver import Saver, SaverDef

__all__ = ["import_meta_graph"]


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, input_map=None, **kwargs):
    """Recreate a saved graph in the default graph; returns a Saver for its variables (None when
    it has none). `meta_graph_or_file` is a `.meta` path, a MetaGraphDef message, its bytes or dict.

    The collections come back too: variables as tf.Variable objects, ops and tensors by name.

    >>> saver = tf.train.import_meta_graph("run/model-100.meta")
    >>> saver.restore(sess, "run/model-100")
    >>> logits = tf.get_default_graph().get_tensor_by_name("out/BiasAdd:0")
    """
    meta, rename = meta_graph.import_scoped_meta_graph(
        meta_graph_or_file, clear_devices=clear_devices, import_scope=import_scope, input_map=input_map,
        make_variable=lambda fields: Variable(variable_def=fields),
        make_saver=lambda fields: Saver(saver_def=SaverDef(**fields)))
    if "saver_def" in meta:
        fields = dict(meta["saver_def"])
        for k in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
            if fields.get(k):
                fields[k] = rename(fields[k])
        return Saver(saver_def=SaverDef(**fields), name=import_scope)
    g = get_default_graph()
    if g.get_collection(GraphKeys.GLOBAL_VARIABLES) or g.get_collection(GraphKeys.SAVEABLE_OBJECTS):
        return Saver()  # TF's rule: a default Saver for the variables the graph holds
    logging.getLogger("tensorflow").info("Saver not created because there are no variables in the graph to restore")
    return None
