"""The plugin manager: allowlist, discovery, hook validation, registration (namespace checks: plugin_checks).

Only plugins named in ``WILMA_PLUGINS`` are imported. A name is looked up as the package
``plugins.<name>`` (the ``plugins/`` folder of the project) and then in the ``wilma.plugins`` entry-point
group, so that a city can ship its plugin as a pip package of its own. Anything outside the contract
stops the start with a ``PluginError`` that says what to fix.
"""

import difflib
import importlib
import importlib.metadata
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from wilma.core import hookspecs

ENTRY_POINT_GROUP = "wilma.plugins"
PLUGINS_FOLDER = Path(__file__).resolve().parents[2] / "plugins"


class PluginError(RuntimeError):
    """A plugin breaks the contract; the message names the plugin and what to change."""


@dataclass
class LoadedPlugin:
    name: str
    module: ModuleType
    path: Path

    @property
    def migrations_dir(self) -> Path | None:
        versions = self.path / "migrations" / "versions"
        return versions if versions.is_dir() else None


@dataclass
class PluginRegistry:
    """The enabled plugins of one app, and the pluggy manager that calls them."""

    manager: pluggy.PluginManager
    plugins: list[LoadedPlugin] = field(default_factory=list)

    @property
    def hook(self):
        return self.manager.hook

    def names(self) -> list[str]:
        return [p.name for p in self.plugins]


def available_plugins() -> dict[str, str]:
    """Every plugin that could be enabled: name -> where it comes from."""
    found: dict[str, str] = {}
    if PLUGINS_FOLDER.is_dir():
        for child in sorted(PLUGINS_FOLDER.iterdir()):
            if (child / "__init__.py").exists() and not child.name.startswith("_"):
                found[child.name] = f"plugins/{child.name}"
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, f"entry point {ep.value}")
    return found


def import_plugin(name: str) -> ModuleType:
    """Import the plugin called ``name`` from ``plugins/`` or the entry points."""
    if not name.isidentifier() or name != name.lower():
        raise PluginError(f"Plugin name {name!r} is not valid: use a lower-case Python identifier.")
    if (PLUGINS_FOLDER / name / "__init__.py").exists():
        return _import(name, lambda: importlib.import_module(f"plugins.{name}"))
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            loaded = _import(name, ep.load)
            if not isinstance(loaded, ModuleType):
                raise PluginError(f"Plugin {name!r}: the entry point must name a module, not {loaded!r}.")
            return loaded
    known = ", ".join(sorted(available_plugins())) or "none"
    raise PluginError(
        f"Plugin {name!r} is enabled in WILMA_PLUGINS but was not found in plugins/ or in the "
        f"'{ENTRY_POINT_GROUP}' entry points. Available: {known}. Install it, or disable it with "
        f"'WILMA_PLUGINS= flask wilma plugins disable {name}'."
    )


def _import(name: str, load):
    """Run ``load()``; a plugin that fails to import stops the start with the reason."""
    try:
        return load()
    except PluginError:
        raise
    except Exception as err:
        raise PluginError(f"Plugin {name!r} could not be imported: {type(err).__name__}: {err}") from err


def check_core_version(name: str, module: ModuleType, core_version: str) -> None:
    required = getattr(module, "WILMA_REQUIRES", None)
    if not required:
        return
    try:
        spec = SpecifierSet(required)
    except InvalidSpecifier:
        raise PluginError(f"Plugin {name!r}: WILMA_REQUIRES={required!r} is not a version range.") from None
    if Version(core_version) not in spec:
        raise PluginError(
            f"Plugin {name!r} needs WILMA core {required}, but this is {core_version}. "
            f"Upgrade the core, or use a version of the plugin made for {core_version}."
        )


def load_plugins(names: list[str], core_version: str, core_impls: list[ModuleType]) -> PluginRegistry:
    """Import, register and check the hooks of the enabled plugins (the Flask-side checks come later)."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for impl in core_impls:
        manager.register(impl, name=f"core:{impl.__name__}")
    registry = PluginRegistry(manager)
    seen = set()
    # pluggy calls the last registered first: register in reverse so that the first listed plugin wins
    # for first-result hooks such as branding.
    for name in reversed(names):
        if name in seen:
            continue
        seen.add(name)
        module = import_plugin(name)
        check_core_version(name, module, core_version)
        try:
            manager.register(module, name=name)
        except ValueError as err:
            raise PluginError(f"Plugin {name!r} could not be registered: {err}") from None
        registry.plugins.insert(0, LoadedPlugin(name, module, Path(module.__file__).resolve().parent))
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as err:
        raise PluginError(_explain_unknown_hook(err, manager)) from None
    for plugin in registry.plugins:
        _check_hook_names(plugin, manager)
    return registry


def _explain_unknown_hook(err: pluggy.PluginValidationError, manager: pluggy.PluginManager) -> str:
    plugin_name = manager.get_name(err.plugin) or getattr(err.plugin, "__name__", str(err.plugin))
    match = re.search(r"unknown hook '(\w+)'", str(err))
    hint = _did_you_mean(match.group(1)) if match else ""
    return f"Plugin {plugin_name!r}: {err}.{hint} Check the spelling; the hooks are: {', '.join(_hook_names())}."


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, _hook_names(), n=1)
    return f" Did you mean {close[0]}?" if close else ""


def _check_hook_names(plugin: LoadedPlugin, manager: pluggy.PluginManager) -> None:
    """Every ``wilma_*`` function of a plugin must be a hook of the contract, marked with ``@hookimpl``.

    pluggy silently ignores an unmarked function, so a forgotten decorator would switch a hook off
    without a word; a ``wilma_*`` name that is no hook is almost always a typo.
    """
    for attr in sorted(dir(plugin.module)):
        value = getattr(plugin.module, attr)
        if not attr.startswith("wilma_") or not callable(value):
            continue
        if attr not in _hook_names():
            raise PluginError(
                f"Plugin {plugin.name!r}: function {attr}() is not a hook of the contract "
                f"(see wilma/core/hookspecs.py).{_did_you_mean(attr)} Check the spelling; the hooks are: "
                f"{', '.join(_hook_names())}."
            )
        if not hasattr(value, f"{hookspecs.PROJECT}_impl"):
            raise PluginError(
                f"Plugin {plugin.name!r}: function {attr}() is not marked as a hook implementation, so it "
                f"would never be called. Decorate it with @hookimpl "
                f"(from wilma.core.hookspecs import hookimpl)."
            )


def _hook_names() -> list[str]:
    return sorted(n for n in dir(hookspecs) if n.startswith("wilma_"))
