"""The floors of kerasx: every package and root module has a floor, and imports point down, never up or sideways.

Read from the sources with `ast` (nothing is imported), for every module of `kerasx/`. An import from one package
into another must land on a lower floor; the few that point up are listed in `UPWARD_IMPORTS`, each with its
reason, and the list is checked both ways (an entry that no longer matches an import fails too). Packages on the
same floor do not import each other, so no two of them can form a cycle.

Hooks that a floor needs, because the code that fills them lives above the code that reads them:
- `kerasx.layers._layer.CONSTRUCTOR_TRANSLATORS`: `kerasx.legacy` (top floor) translates Keras 1 constructor
  arguments before a layer's `__init__` sees them.
- `kerasx.trainers._loops.LEGACY_FIT_KWARGS`: `kerasx.legacy` translates `fit(nb_epoch=...)`.
And one inside a package: `kerasx.models._model._FUNCTIONAL_CLASS`, since `Functional` subclasses `Model`, so the
module defining `Model` cannot import it.

The other layering rules: no engine (`jax`, `torch`, `tensorflow`) is imported outside its own
`kerasx/backend/<engine>/` and kerasx never imports `keras` (tested here); `kerasx/backend/` imports nothing of the
frontend, `kerasx/ops/` only the backend, and no module imports inside a function (`tests/test_contract.py`).
"""

import ast
import functools
from pathlib import Path

import pytest

import kerasx

PACKAGE_ROOT = Path(kerasx.__file__).resolve().parent

# Lowest first. A package or root module (`kerasx/<name>.py`) not listed here fails `test_every_package_has_a_floor`.
FLOORS = [
    {"_atomic_files", "_keras_names", "_version"},  # import nothing of kerasx: data, and atomic file writes
    {"_missing"},  # the AttributeError of every namespace for a name kerasx lacks
    {"backend", "serialization"},  # the engines behind one contract; the registry of names
    {"ops", "tree"},
    {"dtype_policies"},  # the dtypes layers store and compute in; `config` sets the global one
    {"config", "distribution", "random"},
    {"activations", "constraints", "initializers", "regularizers"},  # the vocabularies layers are written in
    {"_quantized_policy", "quantizers"},  # quantizers, quantization configs; a quantized layer's dtype policy
    {"losses", "optimizers"},
    {"layers", "metrics", "mixed_precision"},  # mixed_precision re-exports policies and LossScaleOptimizer
    {"callbacks"},
    {"trainers"},  # fit / evaluate / predict
    {"export", "saving"},  # the file formats: artifacts for other runtimes, and kerasx's own
    {"models"},
    {"distillation"},  # trains a student model against a teacher
    {"legacy"},  # Keras 1 spellings and Keras 3's legacy namespaces; `utils.legacy` re-exports `legacy.saving`
    {"kerasx", "port_check", "utils", "wrappers"},  # `kerasx` is the root package's `__init__`
    {"preprocessing", "visualization"},  # re-exports `utils`' image and sequence helpers; draws boxes with `utils`
    {"applications", "datasets"},  # models and data downloaded with `utils.get_file`
    {"_keras_alias"},  # serves Keras's module names with all of kerasx
    {"_bench"},  # `python -m kerasx bench`: runs programs through `_keras_alias` in each engine's process
    {"__main__"},  # `python -m kerasx run script.py`
]
FLOOR = {name: level for level, names in enumerate(FLOORS) for name in names}

# (importing module, imported package) -> why it points up a floor. At most three.
UPWARD_IMPORTS = {
    ("kerasx.layers", "legacy"): (
        "kerasx.layers exports the Keras 1 spellings `merge`, `Convolution1D`, `Convolution2D`, which are built from "
        "the layers; importing them registers the Keras 1 argument translator"
    ),
    ("kerasx.models", "legacy"): (
        "importing the models registers the Keras 1 translators of `Model(input=, output=)` and `fit(nb_epoch=)`"
    ),
    ("kerasx.saving", "models"): (
        "`load_model` rebuilds `Functional` and `Sequential` by their registered names, which importing "
        "kerasx.models registers"
    ),
}

ENGINE_MODULES = {"jax": ("jax", "jaxlib"), "torch": ("torch",), "tensorflow": ("tensorflow",)}
NEVER_IMPORTED = ("keras", "tf_keras")

MISSING_FLOOR = (
    "{names} {verb} no floor. Add each to FLOORS in tests/test_floors.py, on the lowest floor above everything it "
    "imports (and below everything that imports it)."
)
UPWARD = (
    "{count} import(s) point up or sideways a floor (see FLOORS in tests/test_floors.py). Import only from lower "
    "floors: move the shared code down, or pass it in from above. Found:\n{found}"
)


def sources() -> list:
    return sorted(PACKAGE_ROOT.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """`kerasx.layers._dense` -> "layers"; `kerasx.port_check` -> "port_check"; `kerasx` -> "kerasx"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


@functools.lru_cache(maxsize=None)
def imports(path: Path) -> tuple:
    """(line, absolute module name) of every import of the file, relative imports resolved; `from a import b`
    gives `a.b` (b may be a submodule)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{prefix}.{node.module}" if node.module else prefix
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return tuple(found)


def kerasx_imports():
    """(path, line, importing module, imported package) of every import from one kerasx package into another."""
    for path in sources():
        module = module_name(path)
        for line, target in imports(path):
            if target.split(".")[0] != "kerasx":
                continue
            source_package, target_package = package_of(module), package_of(target)
            if source_package != target_package:
                yield path, line, module, target_package


def allowance(module: str, target_package: str):
    """The `UPWARD_IMPORTS` key covering an import of `target_package` by `module`, or None."""
    for importer, package in UPWARD_IMPORTS:
        if package == target_package and (module == importer or module.startswith(importer + ".")):
            return importer, package
    return None


def test_every_package_has_a_floor():
    names = {package_of(module_name(path)) for path in sources()}
    missing = sorted(names - set(FLOOR))
    verb = "has" if len(missing) == 1 else "have"
    assert not missing, MISSING_FLOOR.format(names=", ".join(f"kerasx.{name}" for name in missing), verb=verb)


def test_floor_table_lists_each_name_once():
    assert sum(len(names) for names in FLOORS) == len(FLOOR)


def test_imports_point_down_a_floor():
    problems = []
    for path, line, module, target in kerasx_imports():
        source = package_of(module)
        if source not in FLOOR or target not in FLOOR:
            continue  # reported by test_every_package_has_a_floor
        if FLOOR[target] < FLOOR[source] or allowance(module, target):
            continue
        where = "sideways" if FLOOR[target] == FLOOR[source] else "up"
        problems.append(f"  {path.relative_to(PACKAGE_ROOT.parent)}:{line} {source} -> {target} ({where})")
    assert not problems, UPWARD.format(count=len(problems), found="\n".join(problems))


def test_upward_imports_are_few_and_each_still_exists():
    assert len(UPWARD_IMPORTS) <= 3
    used = {allowance(module, target) for _, _, module, target in kerasx_imports()}
    stale = sorted(set(UPWARD_IMPORTS) - used)
    assert not stale, f"UPWARD_IMPORTS lists imports that no longer exist (remove them): {stale}"
    for (importer, package), reason in UPWARD_IMPORTS.items():
        assert FLOOR[package] > FLOOR[package_of(importer)], f"{importer} -> {package} does not point up"
        assert reason


def test_serialization_imports_nothing_else_of_kerasx():
    # The ground floor of names: every family registers and looks up names there, so it depends on none of them.
    found = [
        (path.name, line, target)
        for path in sources()
        if package_of(module_name(path)) == "serialization"
        for line, target in imports(path)
        if target.split(".")[0] == "kerasx" and package_of(target) != "serialization"
    ]
    assert not found


def test_engines_are_imported_only_in_their_backend_package():
    problems = []
    for path in sources():
        relative = path.relative_to(PACKAGE_ROOT)
        own_engine = relative.parts[1] if len(relative.parts) > 2 and relative.parts[0] == "backend" else None
        for line, target in imports(path):
            top = target.split(".")[0]
            if top in NEVER_IMPORTED:
                problems.append(f"  kerasx/{relative}:{line} imports {target}: kerasx never imports Keras")
            for engine, modules in ENGINE_MODULES.items():
                if top in modules and engine != own_engine:
                    problems.append(f"  kerasx/{relative}:{line} imports {target} outside kerasx/backend/{engine}/")
    assert not problems, "engine imports outside their backend package:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "module, target, expected",
    [
        ("kerasx.layers._dense", "kerasx.ops.add", ("layers", "ops")),
        ("kerasx.port_check", "kerasx", ("port_check", "kerasx")),
        ("kerasx", "kerasx.backend.jax.core", ("kerasx", "backend")),
        ("kerasx.optimizers.schedules._cosine", "kerasx.ops", ("optimizers", "ops")),
    ],
)
def test_package_of(module, target, expected):
    # Guards the checks above against reading every import as one package (which would make them pass vacuously).
    assert (package_of(module), package_of(target)) == expected


def test_checks_see_imports():
    pairs = {(package_of(module), target) for _, _, module, target in kerasx_imports()}
    assert ("layers", "ops") in pairs and ("models", "layers") in pairs and ("saving", "models") in pairs


# The line budget of one file: past it, a file holds more than one concept and is split by concept.
MAX_LINES = 600
OVER_BUDGET = (
    "{count} file(s) of kerasx have more than {limit} lines; split each by concept into private modules (as "
    "`layers/_layer.py` keeps its weights, losses and node access in mixins of their own):\n{found}"
)


def test_no_file_is_over_the_line_budget():
    found = []
    for path in sources():
        with open(path, encoding="utf-8") as file:
            count = sum(1 for _ in file)
        if count > MAX_LINES:
            found.append(f"  {path.relative_to(PACKAGE_ROOT.parent)}: {count} lines")
    assert sources() and not found, OVER_BUDGET.format(count=len(found), limit=MAX_LINES, found="\n".join(found))
