"""The ops contract holds, reflectively, for every installed engine, and the layering rules hold for the sources.

Signatures: every function of every `kerasx.backend._contract` Protocol exists in each installed engine package
with the same parameter names, kinds and defaults, and the public op of the same name in `kerasx.ops` agrees too.
Nothing is listed by hand: new contract functions are checked as soon as they are declared.

Layering (parsed with `ast`, nothing imported): `kerasx/backend/` imports nothing else from kerasx, `kerasx/ops/`
imports only `kerasx.backend` and `kerasx.ops` (both may import the ground floor `kerasx._missing`), and no module
of kerasx imports inside a function.
"""

import ast
import functools
import importlib
import importlib.util
import inspect
from pathlib import Path

import pytest

import kerasx
from kerasx.backend import _config, _contract

PACKAGE_ROOT = Path(kerasx.__file__).resolve().parent
ENGINE_MODULE = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}
OPS_MODULES = ("core", "numpy", "nn", "linalg")
# Which kerasx packages each layer may import from; `kerasx` itself is never importable from inside it.
# `kerasx._missing` sits below the backend (tests/test_floors.py): every namespace ends with its `__getattr__`, the
# AttributeError for a name kerasx lacks, and it imports only the generated table of Keras's names.
GROUND_FLOOR = ("kerasx._missing",)
ALLOWED_IMPORTS = {
    "kerasx.backend": ("kerasx.backend", *GROUND_FLOOR),
    "kerasx.ops": ("kerasx.backend", "kerasx.ops", *GROUND_FLOOR),
}


def parameters(fn) -> list:
    """(name, kind, default) of each parameter; `self` dropped; follows `__wrapped__` like inspect does."""
    signature = inspect.signature(fn)
    return [
        (p.name, p.kind.description, "<no default>" if p.default is p.empty else repr(p.default))
        for p in signature.parameters.values()
        if p.name != "self"
    ]


def mismatches(contract: dict, implementation, where: str) -> list:
    problems = []
    for name, contract_fn in sorted(contract.items()):
        fn = getattr(implementation, name, None)
        if fn is None:
            problems.append(f"{where}.{name} is missing")
            continue
        try:
            found = parameters(fn)
        except (TypeError, ValueError) as error:
            problems.append(f"{where}.{name} has no inspectable signature ({error})")
            continue
        expected = parameters(contract_fn)
        if found != expected:
            problems.append(f"{where}.{name}{_show(found)} != contract {name}{_show(expected)}")
    return problems


def _show(params: list) -> str:
    return "(" + ", ".join(f"{n}={d}" if d != "<no default>" else n for n, _, d in params) + ")"


def engine_package(backend: str):
    if importlib.util.find_spec(ENGINE_MODULE[backend]) is None:
        pytest.skip(f"the {backend} engine is not installed")
    return importlib.import_module(f"kerasx.backend.{backend}")


@pytest.mark.parametrize("module_name", sorted(_contract.CONTRACTS))
@pytest.mark.parametrize("backend", _config.VALID_BACKENDS)
def test_engine_implements_contract(backend, module_name):
    engine_module = getattr(engine_package(backend), module_name)
    problems = mismatches(_contract.contract_functions(module_name), engine_module, engine_module.__name__)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("module_name", OPS_MODULES)
def test_public_ops_match_contract(module_name):
    exported = {name: fn for name, fn in _contract.contract_functions(module_name).items() if name in kerasx.ops.__all__}
    problems = mismatches(exported, kerasx.ops, "kerasx.ops")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("module_name", ["nn", "numpy"])
@pytest.mark.parametrize("backend", _config.VALID_BACKENDS)
def test_engine_face_exports_exactly_the_contract(backend, module_name):
    # The engines' nn and numpy faces list their functions once, as explicit imports (no `import *`), and take
    # `__all__` from that list; it must be the contract, no more and no less.
    face = getattr(engine_package(backend), module_name)
    contract = set(_contract.contract_functions(module_name))
    public = {
        name
        for name, value in vars(face).items()
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, functools.partial))
    }
    assert sorted(face.__all__) == sorted(contract)
    assert public - contract == set(), f"{face.__name__} exports functions outside the {module_name} contract"
    assert contract - set(dir(face)) == set()
    tree = ast.parse(Path(face.__file__).read_text())
    stars = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.names[0].name == "*"]
    assert not stars, f"{face.__name__} imports with * (lines {stars}): import each function by name"


def test_contract_is_not_empty():
    # Guards the reflective tests above against silently checking nothing.
    assert set(OPS_MODULES) <= set(_contract.CONTRACTS)
    assert all(_contract.contract_functions(name) for name in _contract.CONTRACTS)


def source_files(package: str) -> list:
    return sorted((PACKAGE_ROOT.parent / package.replace(".", "/")).rglob("*.py"))


@functools.lru_cache(maxsize=None)
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def module_name_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.Module, path: Path) -> list:
    """(line, absolute module name) of every import in the file, relative imports resolved."""
    package = module_name_of(path) if path.name == "__init__.py" else module_name_of(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            # `from kerasx import ops` imports kerasx.ops, not just kerasx.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _allowed(module: str, allowed: tuple) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in allowed)


@pytest.mark.parametrize("layer", sorted(ALLOWED_IMPORTS))
def test_layer_imports_only_lower_layers(layer):
    problems = []
    for path in source_files(layer):
        for line, module in imported_modules(parse(path), path):
            if (module == "kerasx" or module.startswith("kerasx.")) and not _allowed(module, ALLOWED_IMPORTS[layer]):
                problems.append(f"{path.relative_to(PACKAGE_ROOT.parent)}:{line} imports {module}")
    assert source_files(layer), f"no sources found for {layer}"
    assert not problems, f"{layer} may import only {ALLOWED_IMPORTS[layer]}:\n" + "\n".join(problems)


class _LocalImports(ast.NodeVisitor):
    """Collects (line, function name) of imports inside function bodies, in one pass over the tree."""

    def __init__(self):
        self.functions: list = []
        self.found: list = []

    def visit_FunctionDef(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        if self.functions:
            self.found.append((node.lineno, self.functions[-1]))

    visit_ImportFrom = visit_Import


def test_no_function_local_imports():
    problems = []
    for path in source_files("kerasx"):
        visitor = _LocalImports()
        visitor.visit(parse(path))
        problems += [f"{path.relative_to(PACKAGE_ROOT.parent)}:{line} in {name}" for line, name in visitor.found]
    assert not problems, "imports inside functions (move them to module level):\n" + "\n".join(problems)
