"""The content-type registry and its config directive.

A type is declared once::

    config.add_content_type(Page, title=_("Trang"), schema=PageSchema,
                            addable_to=("site", "folder"))

Declaring the same type name or model twice is a configuration conflict that
stops start-up. Add rules live here and are checked on the server by the add
view and by ``TypeRegistry.check_add``, never only by hiding a menu entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import colander
from pyramid.exceptions import ConfigurationConflictError, ConfigurationError

from .models import Node
from .permissions import Permissions
from .workflow import SIMPLE_PUBLICATION, Workflow


@dataclass
class TypeInfo:
    name: str
    model: type[Node]
    title: str
    schema: Callable[[], colander.SchemaNode]
    addable_to: tuple[str, ...] = ()
    add_permission: str = Permissions.Add
    container: bool = False
    workflow: Workflow = SIMPLE_PUBLICATION
    description: str = ""
    # appstruct <-> object; the defaults copy fields by name.
    apply: Callable | None = None
    to_appstruct: Callable | None = None
    extra: dict = field(default_factory=dict)

    def can_be_added_to(self, container: Node) -> bool:
        return container.type in self.addable_to


# Node columns that only the core changes (through the tree and the workflow).
RESERVED_FIELDS = frozenset(
    {"id", "site_id", "parent_id", "path", "type", "state", "owner_id", "created", "modified",
     "position"}
)  # fmt: skip


class AddNotAllowed(Exception):
    pass


class TypeRegistry:
    def __init__(self, settings=None):
        # The application's settings, for code that works outside a request
        # (demo loaders need the blob store's place, for one).
        self.settings = settings if settings is not None else {}
        self.by_name: dict[str, TypeInfo] = {}
        self.by_model: dict[type, TypeInfo] = {}
        # Demo data of packages that are not content types (search's synonym list):
        # ``hook(db, types, root, owner) -> int``, run by ``demo.load_demo`` after the types'.
        self.demo_hooks: list = []

    def register(self, info: TypeInfo) -> None:
        self.by_name[info.name] = info
        self.by_model[info.model] = info

    def __getitem__(self, name: str) -> TypeInfo:
        return self.by_name[name]

    def get(self, name: str) -> TypeInfo | None:
        return self.by_name.get(name)

    def __iter__(self) -> Iterable[TypeInfo]:
        return iter(self.by_name.values())

    def info_for(self, node: Node) -> TypeInfo | None:
        return self.by_name.get(node.type)

    def workflow_for(self, node: Node) -> Workflow:
        info = self.by_name.get(node.type)
        return info.workflow if info else SIMPLE_PUBLICATION

    def addable(self, request, container: Node) -> list[TypeInfo]:
        """Types the user may add here: allowed in this container and permitted."""
        return [
            info
            for info in self.by_name.values()
            if info.can_be_added_to(container) and request.has_permission(info.add_permission, container)
        ]

    def check_add(self, request, container: Node, type_name: str) -> TypeInfo:
        info = self.by_name.get(type_name)
        if info is None or not info.can_be_added_to(container):
            raise AddNotAllowed(type_name)
        if not request.has_permission(info.add_permission, container):
            raise AddNotAllowed(type_name)
        return info


def add_content_type(
    config,
    model: type[Node],
    *,
    title: str,
    schema: Callable[[], colander.SchemaNode],
    name: str | None = None,
    addable_to: Iterable[str] = (),
    add_permission: str = Permissions.Add,
    container: bool = False,
    workflow: Workflow = SIMPLE_PUBLICATION,
    description: str = "",
    apply: Callable | None = None,
    to_appstruct: Callable | None = None,
    **extra,
):
    name = name or model.__mapper__.polymorphic_identity
    if not name:
        raise ValueError(f"{model!r} has no polymorphic identity")
    info = TypeInfo(
        name=name,
        model=model,
        title=title,
        schema=schema,
        addable_to=tuple(addable_to),
        add_permission=add_permission,
        container=container,
        workflow=workflow,
        description=description,
        apply=apply,
        to_appstruct=to_appstruct,
        extra=extra,
    )
    registry: TypeRegistry = config.registry["portal.types"]

    # Fields the generic forms copy onto the node must not be tree or workflow columns.
    clash = RESERVED_FIELDS & {child.name for child in schema().children}
    if clash:
        raise ConfigurationError(f"{name}: schema fields reserved by the core: {sorted(clash)}")

    # Checked when declared, not only at commit: Pyramid lets a configurator
    # silently override what it included, and a type must never be replaced
    # by accident.
    declared = config.registry.setdefault("portal.types.declared", {})
    for key in (("name", name), ("model", model)):
        if key in declared:
            raise ConfigurationConflictError(
                {("portal.content_type",) + key: [declared[key], str(config.action_info)]}
            )
        declared[key] = str(config.action_info)

    intr = config.introspectable("portal content types", name, title, "portal content type")
    intr["model"] = model
    intr["addable_to"] = info.addable_to
    # Two actions: one per name, one per model, so either kind of clash conflicts.
    config.action(("portal.content_type", name), lambda: registry.register(info), introspectables=(intr,))
    config.action(("portal.content_type.model", model), None)


def includeme(config):
    config.registry["portal.types"] = TypeRegistry(config.registry.settings)
    config.add_directive("add_content_type", add_content_type)
    config.add_request_method(lambda r: r.registry["portal.types"], "content_types", reify=True)
