"""The import graph of gamegen: no cycles, no private imports across modules, a layer order.

Every module of ``gamegen/``, ``exporters/`` (installed as ``gamegen.exporters``) and
``viewer/`` (``gamegen.viewer``) is parsed with ``ast``; every import counts, the lazy
ones inside functions too, since a lazy import is a dependency all the same (it only
moves the failure to the first call). The rules (issue 17):

* no cycles: a module never reaches itself through imports;
* private modules (``gamegen.exporters._tiled``) are imported by their own package and
  its modules only; private names (``from gamegen.x import _y``, ``gamegen.x._y``) are
  never imported from another module;
* a module imports only from its own layer or a lower one (``LAYERS``).

Each test collects every violation before failing, so one run lists all of them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Where each top-level package's source lives (pyproject.toml package-dir).
SOURCE_DIRS = {
    "gamegen": ROOT / "gamegen",
    "gamegen.exporters": ROOT / "exporters",
    "gamegen.viewer": ROOT / "viewer",
    "gamegen.models": ROOT / "models",
}

# Lowest first. A module belongs to the layer of the longest prefix that names it
# (so gamegen.sprites.files is output, the rest of gamegen.sprites a content kind).
LAYERS: list[tuple[str, list[str]]] = [
    ("errors and shipped data", ["gamegen.errors", "gamegen.models"]),
    ("tiles and vocabularies", ["gamegen.tiles", "gamegen.seeds", "gamegen.files", "gamegen.metrics", "gamegen.corpus"]),
    ("cards and runtime", ["gamegen.runtime"]),
    ("generator protocol", ["gamegen.protocol"]),
    # gamegen.maf: the platformer's real-engine judge and movement model (the agent reads its profiles)
    ("content kinds", ["gamegen.platformer", "gamegen.dungeon", "gamegen.sprites", "gamegen.names", "gamegen.overworld", "gamegen.maf"]),
    ("public api", ["gamegen.api", "gamegen.registry"]),
    (
        "output",
        [
            "gamegen.exporters",
            "gamegen.output",
            "gamegen.world",
            "gamegen.ray",
            "gamegen.train",
            "gamegen.sprites.files",
            "gamegen.names.files",
        ],
    ),
    ("quality and bench", ["gamegen.quality", "gamegen.bench"]),
    ("front ends", ["gamegen.cli", "gamegen.viewer", "gamegen.__main__"]),
]

# The package __init__ is the public surface: it re-exports from below output, and
# nothing imports from it but its version (a constant, as low as gamegen.errors).
PACKAGE = "gamegen"
PACKAGE_MAY_IMPORT_BELOW = "output"
PACKAGE_CONSTANTS = {"__version__"}


@dataclass(frozen=True)
class Import:
    """One gamegen-internal import: ``importer`` needs ``target`` (a module), or ``name`` of it."""

    importer: str
    target: str
    name: str | None  # the name imported from target, None for the module itself
    line: int

    def where(self) -> str:
        shown = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.importer}:{self.line} imports {shown}"


def module_files() -> dict[str, Path]:
    """Every module, by its installed dotted name."""
    modules = {}
    for package, folder in SOURCE_DIRS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join([package, *parts])
            modules[name] = path
    return modules


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_package(module: str, modules: dict[str, Path]) -> bool:
    return modules[module].name == "__init__.py"


def resolve_relative(importer: str, level: int, module: str | None, modules: dict[str, Path]) -> str:
    """The absolute name of ``from .module import ...`` written in ``importer`` (the code is all absolute; a relative import must not slip past the rules)."""
    base = importer.split(".")
    if not is_package(importer, modules):
        base.pop()
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([module] if module else []))


def longest_known_prefix(dotted: str, modules: dict[str, Path]) -> tuple[str | None, list[str]]:
    """Split ``a.b.c.d`` into the longest known module and the attribute path after it."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        candidate = ".".join(parts[:cut])
        if candidate in modules:
            return candidate, parts[cut:]
    return None, parts


def dotted_name(node: ast.AST) -> str | None:
    """``gamegen.x._y`` for an Attribute chain on a Name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def imports_of(importer: str, source: str, modules: dict[str, Path]) -> list[Import]:
    """Every gamegen-internal import in one module's source, lazy ones included."""
    found = []
    tree = ast.parse(source)
    bound_modules: dict[str, str] = {}  # local name -> the module it names, for `module._y` attribute use
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target, rest = longest_known_prefix(alias.name, modules)
                if target is None:
                    continue
                found.append(Import(importer, target, rest[0] if rest else None, node.lineno))
                if alias.asname is None:
                    bound_modules[alias.name.split(".")[0]] = alias.name.split(".")[0]
                else:
                    bound_modules[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source_module = (
                resolve_relative(importer, node.level, node.module, modules) if node.level else node.module
            )
            if source_module not in modules:
                continue
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                if submodule in modules:
                    found.append(Import(importer, submodule, None, node.lineno))
                    bound_modules[alias.asname or alias.name] = submodule
                else:
                    found.append(Import(importer, source_module, alias.name, node.lineno))
    # gamegen.x._y after `import gamegen.x` (or T._y after `from gamegen.x import y as T`): a private name all the same
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = dotted_name(node)
            local, _, attributes = (dotted or "").partition(".")
            if local not in bound_modules:
                continue
            target, rest = longest_known_prefix(f"{bound_modules[local]}.{attributes}", modules)
            if target is not None and rest and is_private(rest[0]):
                found.append(Import(importer, target, rest[0], node.lineno))
    return found


@lru_cache(maxsize=1)
def graph() -> tuple[dict[str, Path], tuple[Import, ...]]:
    modules = module_files()
    found = []
    for module, path in modules.items():
        found.extend(imports_of(module, path.read_text(encoding="utf-8"), modules))
    return modules, tuple(found)


def module_edges(found: tuple[Import, ...]) -> dict[str, set[str]]:
    """importer -> the modules it needs; the package's version constant is no edge (see PACKAGE_CONSTANTS)."""
    edges: dict[str, set[str]] = {}
    for imp in found:
        if imp.target == PACKAGE and imp.name in PACKAGE_CONSTANTS:
            continue
        if imp.target != imp.importer:
            edges.setdefault(imp.importer, set()).add(imp.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle path per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [cycle_path(component, edges) for component in components]


def cycle_path(component: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest way from the component's first module back to itself, for the report."""
    start = min(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(edges.get(node, set()) & component):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for layer, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    return None if best is None else best[1]


def layer_named(title: str) -> int:
    return [name for name, _ in LAYERS].index(title)


def private_violation(imp: Import) -> str | None:
    private_parts = [part for part in imp.target.split(".") if is_private(part)]
    if private_parts:
        owner = imp.target.rsplit(".", 1)[0]  # the package holding the private module
        if not (imp.importer == owner or imp.importer.rsplit(".", 1)[0] == owner):
            return f"{imp.where()}: a private module, for {owner} and its modules only"
    if imp.name is not None and is_private(imp.name) and imp.importer != imp.target:
        return f"{imp.where()}: a private name of another module"
    return None


def layer_violation(imp: Import) -> str | None:
    importer_layer, target_layer = layer_of(imp.importer), layer_of(imp.target)
    if imp.target == PACKAGE:
        if imp.name in PACKAGE_CONSTANTS:
            return None
        return f"{imp.where()}: only {sorted(PACKAGE_CONSTANTS)} may be imported from the package itself"
    if imp.importer == PACKAGE:
        if target_layer is not None and target_layer < layer_named(PACKAGE_MAY_IMPORT_BELOW):
            return None
        return f"{imp.where()}: the package re-exports from below {PACKAGE_MAY_IMPORT_BELOW} only"
    if importer_layer is None or target_layer is None:
        return None  # reported once per module by the unplaced-module check
    if target_layer > importer_layer:
        return (
            f"{imp.where()}: {LAYERS[importer_layer][0]} (layer {importer_layer}) "
            f"imports {LAYERS[target_layer][0]} (layer {target_layer})"
        )
    return None


def report(title: str, problems: list[str]) -> str:
    return f"{len(problems)} {title}:\n  " + "\n  ".join(problems)


def test_the_graph_sees_every_package_and_lazy_imports():
    modules, _ = graph()
    for package in SOURCE_DIRS:
        assert package in modules
    source = (
        "from gamegen.exporters import _tiled as T\n"
        "def late():\n"
        "    from gamegen.errors import DataError\n"
        "    import gamegen.tiles\n"
        "    return gamegen.tiles._x, T._y\n"
    )
    seen = imports_of("gamegen.api", source, modules)
    assert {(imp.target, imp.name) for imp in seen} == {
        ("gamegen.exporters._tiled", None),
        ("gamegen.exporters._tiled", "_y"),
        ("gamegen.errors", "DataError"),
        ("gamegen.tiles", None),
        ("gamegen.tiles", "_x"),
    }


def test_no_import_cycles():
    _, found = graph()
    found_cycles = [" -> ".join(path) for path in cycles(module_edges(found))]
    assert not found_cycles, report("import cycles", found_cycles)


def test_no_private_imports_across_modules():
    _, found = graph()
    problems = sorted({problem for imp in found if (problem := private_violation(imp))})
    assert not problems, report("private imports", problems)


def test_every_module_has_a_layer_and_imports_only_downwards():
    modules, found = graph()
    unplaced = [f"{module}: in no layer of LAYERS" for module in modules if module != PACKAGE and layer_of(module) is None]
    problems = unplaced + sorted({problem for imp in found if (problem := layer_violation(imp))})
    assert not problems, report("layer violations", problems)
