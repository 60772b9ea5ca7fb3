"""`model_to_dot`/`plot_model`: the same boxes and arrows as Keras 3 draws (compared by layer name), files really
written in each format when Graphviz's `dot` is installed, and install instructions when pydot or `dot` is missing."""

from __future__ import annotations

import re
import shutil
import sys

import numpy as np
import pytest

import kerasx
from kerasx import utils

keras = pytest.importorskip("keras")
pydot = pytest.importorskip("pydot")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's `dot` is not installed")


def _build(lib):
    inner_in = lib.Input((4,), name="inner_in")
    inner_hidden = lib.layers.Dense(3, activation="relu", name="inner_dense")(inner_in)
    inner = lib.Model(inner_in, lib.layers.Dense(2, name="inner_out")(inner_hidden), name="inner")
    stack = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2, name="stack_dense")], name="stack")
    inputs = lib.Input((3,), name="features")
    hidden = lib.layers.Dense(4, name="hidden")(inputs)
    merged = lib.layers.Concatenate(name="merge")([hidden, inner(hidden), stack(hidden)])
    return lib.Model(inputs, lib.layers.Dense(1, name="score")(merged), name="outer")


def _names_and_edges(dot):
    """{node id: layer name} over the graph and its clusters, and the arrows as (name, name) pairs."""
    names, edges = {}, set()

    def walk(graph):
        for node in graph.get_nodes():
            label = node.get_label() or ""
            found = re.search(r"<b>([^<]+)</b>", label) or re.match(r'"?([^\s"(]+) \(', label)
            if found:
                names[node.get_name()] = found.group(1)
        for edge in graph.get_edges():
            edges.add((edge.get_source(), edge.get_destination()))
        for subgraph in graph.get_subgraphs():
            walk(subgraph)

    walk(dot)
    return names, {(names[a], names[b]) for a, b in edges}


@pytest.mark.parametrize("expand_nested", [False, True])
def test_boxes_and_arrows_match_keras(expand_nested):
    ours = utils.model_to_dot(_build(kerasx), expand_nested=expand_nested)
    theirs = keras.utils.model_to_dot(_build(keras), expand_nested=expand_nested)
    ours_names, ours_edges = _names_and_edges(ours)
    theirs_names, theirs_edges = _names_and_edges(theirs)
    assert sorted(ours_names.values()) == sorted(theirs_names.values())
    assert ours_edges == theirs_edges
    if expand_nested:
        assert ("hidden", "inner_in") in ours_edges and ("inner_out", "merge") in ours_edges
        assert len(ours.get_subgraphs()) == 2


def test_labels_follow_the_options():
    dot = utils.model_to_dot(_build(kerasx), show_shapes=True, show_dtype=True, show_layer_names=False,
                             show_layer_activations=True, show_trainable=True, rankdir="LR", dpi=96)
    labels = {node.get_label().strip('"') for node in dot.get_nodes()}
    assert ("Concatenate\nInput shape: [(None, 4), (None, 2), (None, 2)]\nOutput shape: (None, 8)"
            "\nOutput dtype: float32\nTrainable: True") in labels
    assert any(label.startswith("Dense") and "Activation: linear" in label for label in labels)
    assert dot.get("rankdir") == "LR" and str(dot.get("dpi")) == "96"
    assert utils.model_to_dot(_build(kerasx), subgraph=True).get_name() == "cluster_outer"
    only = utils.model_to_dot(_build(kerasx), layer_range=["hidden", "merge"])
    assert sorted(_names_and_edges(only)[0].values()) == ["hidden", "inner", "merge", "stack"]


def test_subclassed_and_unbuilt_models():
    class Custom(kerasx.Model):
        def call(self, x):
            return x

    custom = Custom(name="custom")
    custom(np.ones((1, 2), "float32"))
    dot = utils.model_to_dot(custom)
    assert [node.get_label() for node in dot.get_nodes()] == ["custom (Custom)"]
    with pytest.raises(ValueError, match="This model has not yet been built"):
        utils.model_to_dot(kerasx.Sequential([kerasx.layers.Dense(2)]))
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        utils.model_to_dot(_build(kerasx), colour="red")


@needs_dot
@pytest.mark.parametrize("extension, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF"),
                                              ("dot", b"digraph")])
def test_plot_model_writes_real_files(tmp_path, extension, magic):
    path = tmp_path / f"model.{extension}"
    utils.plot_model(_build(kerasx), to_file=str(path), show_shapes=True, expand_nested=True, show_layer_names=True)
    assert path.read_bytes().lstrip()[: len(magic)] == magic
    if extension == "svg":
        text = path.read_text()
        for name in ("features", "inner_dense", "stack_dense", "score"):
            assert name in text


@needs_dot
def test_plot_model_default_png(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    utils.plot_model(_build(kerasx))
    assert (tmp_path / "model.png").read_bytes()[:4] == b"\x89PNG"


def test_missing_graphviz_names_the_install_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` to be found
    with pytest.raises(ImportError, match="apt-get install graphviz.*brew install graphviz"):
        utils.plot_model(_build(kerasx), to_file=str(tmp_path / "model.png"))
    assert not (tmp_path / "model.png").exists()


def test_missing_pydot_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match=r'model_to_dot needs the `pydot` package.*pip install "kerasx\[plot\]"'):
        utils.plot_model(_build(kerasx))
