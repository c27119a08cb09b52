"""An import-linter contract for Huzhu's two-way layering (docs/ARCHITECTURE.md, "Layers").

import-linter's `layers` contract orders whole packages, but each Huzhu app holds both a
domain (writes, reads, models) and its surfaces (pages, API, template tags, admin, commands,
app wiring), and the surfaces of every app sit above the domain of every app: the posts page
may show a safety verdict although posts sits below safety. So a module's place has two
coordinates, read from its name:

- its tier: the kernel (listed), the domain apps, the surfaces (a module of an app whose first
  name below the app matches `surfaces`, or any module of a `surface_packages` package), then the
  project wiring (listed);
- inside the domain, its app's rank (`apps`, highest first) and its role: a model (`models`)
  or the writes and reads above it.

A module may import another only in its own tier or a lower one; in the domain, only from its
own app or a lower one, and a model only a model or the kernel. Tests and migrations (`outside`)
are outside the contract. Every direct import is checked, which is enough: an indirect import
that climbs has a direct step that climbs. A module with no place (a new top-level module)
breaks the contract until it is listed. `ignore_imports` takes the documented exceptions.
"""

import re
from dataclasses import dataclass

from grimp import ImportGraph
from importlinter.application import contract_utils, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

KERNEL, DOMAIN, SURFACE, WIRING = 1, 2, 3, 4
TIER_NAMES = {KERNEL: "kernel", DOMAIN: "domain", SURFACE: "surface", WIRING: "wiring"}


@dataclass(frozen=True)
class Place:
    tier: int
    rank: int = 0  # in the domain: the app's rank, 1 the lowest
    model: bool = False
    app: str = ""

    def describe(self) -> str:
        if self.tier != DOMAIN:
            return TIER_NAMES[self.tier]
        return f"{self.app} {'models' if self.model else 'domain'}"


class ArchitectureContract(Contract):
    type_name = "architecture"

    apps = fields.ListField(subfield=fields.StringField())
    surface_packages = fields.ListField(subfield=fields.StringField())
    kernel = fields.ListField(subfield=fields.StringField())
    wiring = fields.ListField(subfield=fields.StringField())
    surfaces = fields.StringField()
    models = fields.StringField()
    outside = fields.StringField()
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        outside = re.compile(str(self.outside))
        broken: list[dict[str, object]] = []
        unplaced: set[str] = set()
        for importer in sorted(graph.modules):
            if outside.search(importer):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if outside.search(imported) or imported not in graph.modules:
                    continue
                source, target = self._place(importer), self._place(imported)
                if source is None or target is None:
                    unplaced.update(m for m, p in ((importer, source), (imported, target)) if not p)
                    continue
                if not _allowed(source, target):
                    details = graph.get_import_details(importer=importer, imported=imported)
                    broken.append(
                        {
                            "importer": importer,
                            "imported": imported,
                            "why": f"{source.describe()} -> {target.describe()}",
                            "lines": sorted(d["line_number"] for d in details),
                        }
                    )
        return ContractCheck(
            kept=not broken and not unplaced,
            metadata={"broken": broken, "unplaced": sorted(unplaced)},
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module in check.metadata["unplaced"]:
            output.print_error(f"{module} has no place: add it to the kernel or the wiring.")
        for item in check.metadata["broken"]:
            lines = ", ".join(f"l.{n}" for n in item["lines"])
            output.print_error(
                f"-   {item['importer']} -> {item['imported']} ({lines}): {item['why']}",
                bold=False,
            )
        output.new_line()

    def _place(self, module: str) -> Place | None:
        if "." not in module:
            return Place(KERNEL)  # the root package's __init__
        for listed, tier in ((self.kernel, KERNEL), (self.wiring, WIRING)):
            if any(module == m or module.startswith(m + ".") for m in listed):  # type: ignore[attr-defined]
                return Place(tier)
        apps: list[str] = list(self.apps)  # type: ignore[call-overload]
        for app in [*apps, *self.surface_packages]:  # type: ignore[misc]
            if module == app or module.startswith(app + "."):
                rest = module[len(app) + 1 :].split(".", maxsplit=1)[0]
                if app not in apps or re.fullmatch(str(self.surfaces), rest):
                    return Place(SURFACE)
                model = bool(re.fullmatch(str(self.models), rest))
                return Place(DOMAIN, rank=len(apps) - apps.index(app), model=model, app=app)
        return None


def _allowed(source: Place, target: Place) -> bool:
    if source.tier != target.tier:
        return source.tier > target.tier
    if source.tier != DOMAIN:
        return True
    if target.rank > source.rank:
        return False
    return target.model or not source.model
