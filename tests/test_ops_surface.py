"""The public op surface is written one way: every op a greppable, typed `def` with its own complete docstring.

Checked reflectively over `kerasx.ops.__all__`, so a new op is held to it as soon as it is exported:
- it is an explicit `def` of that name in a private module of `kerasx/ops` (not a body named by a factory), or an
  alias of another public op that Keras also exposes under two names;
- graph ops carry their shape rule (`compute_output_spec`); only the conversion/query functions are plain;
- its docstring has a summary line, `Args:` (when it takes arguments), `Returns:` and an `Example:` with `>>>`
  lines (the examples run as doctests: `nox -s doctests`);
- every parameter and the return value are annotated;
- the faces re-export by name (no `import *` anywhere in `kerasx/ops`) and agree with `kerasx.ops`;
- no file of `kerasx/ops` grows past MAX_LINES (split it by concept instead).
"""

import ast
import inspect
import typing
from pathlib import Path

import pytest

import kerasx
from kerasx import ops

OPS_ROOT = Path(kerasx.__file__).resolve().parent / "ops"
FACES = {"core": ops.core, "numpy": ops.numpy, "nn": ops.nn, "linalg": ops.linalg, "math": ops.math}
MAX_LINES = 500
NOT_OPS = {"KerasTensor", "Node", "core", "linalg", "math", "nn", "numpy"}
# They convert a value or answer a question about one (or decorate a function): no graph node, as in Keras.
PLAIN_FUNCTIONS = {
    "convert_to_numpy", "convert_to_tensor", "custom_gradient", "dtype", "is_tensor", "shape", "vectorize",
}
# Keras exposes these under two names for one function; kerasx keeps them identical (`ops.swish is ops.silu`).
ALIASES = {"swish": "silu", "hard_swish": "hard_silu"}
OP_NAMES = sorted(set(ops.__all__) - NOT_OPS)


def implementation(fn):
    """The function the op's name was given to: the eager body under `@op`, else the function itself."""
    return getattr(fn, "eager", fn)


def test_surface_is_not_empty():
    # Guards the parametrized tests below against silently checking nothing.
    assert len(OP_NAMES) > 250
    assert PLAIN_FUNCTIONS <= set(OP_NAMES) and set(ALIASES) <= set(OP_NAMES)


@pytest.mark.parametrize("name", OP_NAMES)
def test_op_is_an_explicit_def_of_its_name(name):
    fn = getattr(ops, name)
    if name in ALIASES:
        assert fn is getattr(ops, ALIASES[name])
        return
    body = implementation(fn)
    assert inspect.isfunction(body), f"ops.{name} is not a function"
    assert body.__code__.co_name == name, f"ops.{name} is made from a def named {body.__code__.co_name!r}"
    assert body.__module__.startswith("kerasx.ops._"), f"ops.{name} is defined in {body.__module__}"
    source = Path(inspect.getsourcefile(body)).read_text()
    assert f"\ndef {name}(" in source, f"`def {name}(` is not greppable in {body.__module__}"


@pytest.mark.parametrize("name", OP_NAMES)
def test_graph_ops_carry_their_shape_rule(name):
    fn = getattr(ops, name)
    if name in PLAIN_FUNCTIONS:
        assert not hasattr(fn, "compute_output_spec")
    else:
        assert callable(getattr(fn, "compute_output_spec", None)), f"ops.{name} is not decorated with @op(spec)"


@pytest.mark.parametrize("name", OP_NAMES)
def test_op_docstring_is_complete(name):
    fn = getattr(ops, name)
    doc = inspect.getdoc(fn) or ""
    summary = doc.splitlines()[0] if doc else ""
    assert summary.strip(), f"ops.{name} has no summary line"
    takes_arguments = bool(inspect.signature(implementation(fn)).parameters)
    missing = [
        section
        for section, needed in (("Args:", takes_arguments), ("Returns:", True), ("Example:", True))
        if needed and f"\n{section}" not in doc
    ]
    assert not missing, f"ops.{name} docstring lacks {missing}"
    example = doc.split("\nExample:", 1)[1]
    assert ">>> " in example, f"ops.{name} has no runnable example"


@pytest.mark.parametrize("name", OP_NAMES)
def test_op_signature_is_typed(name):
    body = implementation(getattr(ops, name))
    signature = inspect.signature(body)
    untyped = [p.name for p in signature.parameters.values() if p.annotation is inspect.Parameter.empty]
    assert not untyped, f"ops.{name}: parameters without a type: {untyped}"
    assert signature.return_annotation is not inspect.Signature.empty, f"ops.{name} has no return type"
    # The annotations are strings (`from __future__ import annotations`): they must also resolve.
    typing.get_type_hints(body)


@pytest.mark.parametrize("face_name", sorted(FACES))
def test_faces_export_what_they_import(face_name):
    face = FACES[face_name]
    imported = {
        name for name, value in vars(face).items() if callable(value) and not inspect.ismodule(value) and name[0] != "_"
    }
    assert set(face.__all__) == imported, f"kerasx.ops.{face_name}: imports and __all__ differ"
    for name in face.__all__:
        assert getattr(ops, name) is getattr(face, name), f"kerasx.ops.{name} is not kerasx.ops.{face_name}.{name}"


def test_ops_exports_exactly_the_faces():
    faces = [name for face in FACES.values() for name in face.__all__]
    assert len(faces) == len(set(faces)), "an op is exported by two faces"
    assert set(ops.__all__) == set(faces) | NOT_OPS


def test_no_star_imports_in_ops():
    star = []
    for path in sorted(OPS_ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
                star.append(f"{path.name}:{node.lineno}")
    assert not star, f"re-export by name instead of `import *`: {star}"


def test_ops_files_stay_small():
    long_files = {path.name: n for path in OPS_ROOT.rglob("*.py") if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long_files, f"split these by concept (over {MAX_LINES} lines): {long_files}"
