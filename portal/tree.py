"""Operations on the content tree: add, rename, move, reorder, delete.

Paths are materialised, so renaming or moving a folder rewrites its whole
subtree's paths with one UPDATE statement, whatever its size.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from zope.sqlalchemy import mark_changed

from .models import Node, utcnow
from .permissions import Permissions
from .security import grants_permission
from .text import slugify

# Names that would shadow a fixed route or a view on the site root. (Catalogues such as
# /van-ban and /thu-tuc-hanh-chinh are meant to stand over the folder of their items.)
RESERVED_NAMES = frozenset(
    {"static", "api", "dang-nhap", "dang-xuat", "ngon-ngu", "tim-kiem", "rss", "rss.xml", "atom.xml",
     "feed.json", "sitemap.xml", "robots.txt", "favicon.ico", "deform-static", "tai-khoan", "quan-tri",
     "chuyen-muc", "the", "khao-sat", "phan-anh-kien-nghi", "tra-cuu-ho-so"}
)  # fmt: skip


class TreeError(Exception):
    pass


# The traverser refuses deeper URLs; paths must fit their column.
MAX_DEPTH = 30
MAX_PATH = 2000


def check_room(parent_path: str, subtree_paths: list[str] | None = None, name: str = "") -> None:
    """Refuse a place the tree cannot hold: too deep, or a path longer than its column."""
    new_path = f"{parent_path}{name}/"
    # ``subtree_paths`` are the moved items' paths below the moved node: "/", "/con/", ...
    extra_depth = max((p.count("/") - 1 for p in subtree_paths or []), default=0)
    extra_len = max((len(p) - 1 for p in subtree_paths or []), default=0)
    if new_path.count("/") - 1 + extra_depth > MAX_DEPTH or len(new_path) + extra_len > MAX_PATH:
        raise TreeError("too deep")


def may_remove(request, node: Node) -> bool:
    """Deleting or moving an item out of a folder needs Delete on the item and on
    everything inside it (owning a folder does not make one the owner of what others
    put in it), and the right to add to its folder (a role held only on a section does
    not let one remove the section itself)."""
    if node.parent_id is None or not request.has_permission(Permissions.Delete, node):
        return False
    parent = node.__parent__ or request.dbsession.get(Node, node.parent_id)
    if not request.has_permission(Permissions.Add, parent):
        return False
    descendants = request.dbsession.execute(
        select(Node.path, Node.type, Node.state, Node.owner_id, Node.effective, Node.expires).where(
            Node.site_id == node.site_id,
            Node.path.startswith(node.path, autoescape=True),
            Node.id != node.id,
        )
    )
    return all(grants_permission(request, row, Permissions.Delete) for row in descendants)


def unique_name(db: Session, parent: Node, wanted: str, exclude_id: int | None = None) -> str:
    base = slugify(wanted)
    q = select(Node.name).where(Node.parent_id == parent.id, Node.name.like(f"{base}%"))
    if exclude_id is not None:
        q = q.where(Node.id != exclude_id)
    taken = set(db.scalars(q))
    if parent.parent_id is None:
        taken |= RESERVED_NAMES
    name, n = base, 2
    while name in taken:
        name = f"{base}-{n}"
        n += 1
    return name


def next_position(db: Session, parent: Node) -> int:
    current = db.scalar(select(func.max(Node.position)).where(Node.parent_id == parent.id))
    return 0 if current is None else current + 1


def add_child(db: Session, parent: Node, node: Node, name: str | None = None) -> Node:
    node.site_id = parent.site_id
    node.parent_id = parent.id
    node.name = unique_name(db, parent, name or node.title)
    check_room(parent.path, name=node.name)
    node.path = f"{parent.path}{node.name}/"
    node.position = next_position(db, parent)
    node.__parent__ = parent
    db.add(node)
    db.flush()
    return node


def _relative_subtree(db: Session, node: Node) -> list[str]:
    """Paths of the node and its descendants relative to it: "/", "/con/", ..."""
    paths = db.scalars(
        select(Node.path).where(
            Node.site_id == node.site_id, Node.path.startswith(node.path, autoescape=True)
        )
    )
    return [p[len(node.path) - 1 :] for p in paths]


def _rewrite_subtree(db: Session, node: Node, new_path: str) -> None:
    old_path = node.path
    # One statement for the node and all its descendants.
    db.execute(
        update(Node)
        .where(Node.site_id == node.site_id, Node.path.startswith(old_path, autoescape=True))
        .values(path=new_path + func.substr(Node.path, len(old_path) + 1))
        .execution_options(synchronize_session=False)
    )
    # Objects already in the session hold stale paths: refresh them.
    # Read only loaded values: touching an expired attribute would reload it.
    for obj in list(db.identity_map.values()):
        loaded = obj.__dict__
        if (
            isinstance(obj, Node)
            and loaded.get("site_id") == node.site_id
            and loaded.get("path", "").startswith(old_path)
        ):
            db.expire(obj, ["path"])


def rename(db: Session, node: Node, new_name: str) -> str:
    if node.parent_id is None:
        raise TreeError("root cannot be renamed")
    parent = db.get(Node, node.parent_id)
    name = unique_name(db, parent, new_name, exclude_id=node.id)
    if name == node.name:
        return name
    check_room(parent.path, _relative_subtree(db, node), name=name)
    new_path = f"{parent.path}{name}/"
    _rewrite_subtree(db, node, new_path)
    node.name = name
    node.modified = utcnow()
    db.flush()
    return name


def move(db: Session, node: Node, target: Node) -> None:
    if node.parent_id is None:
        raise TreeError("root cannot be moved")
    if target.site_id != node.site_id or target.path.startswith(node.path):
        raise TreeError("cannot move a folder into itself")
    if target.id == node.parent_id:
        return
    name = unique_name(db, target, node.name, exclude_id=node.id)
    check_room(target.path, _relative_subtree(db, node), name=name)
    _rewrite_subtree(db, node, f"{target.path}{name}/")
    node.name = name
    node.parent_id = target.id
    node.position = next_position(db, target)
    node.modified = utcnow()
    db.flush()


def reorder(db: Session, parent: Node, ordered_ids: list[int]) -> None:
    """Give the listed children positions 0..n-1 in that order (the rest follow).

    Works on ids and positions only and writes only rows whose position changes.
    """
    current = dict(
        db.execute(
            select(Node.id, Node.position).where(Node.parent_id == parent.id).order_by(Node.position, Node.id)
        ).all()
    )
    wanted = [i for i in ordered_ids if i in current]
    order = wanted + [i for i in current if i not in set(wanted)]
    changes = [{"nid": i, "pos": p} for p, i in enumerate(order) if current[i] != p]
    if changes:
        db.connection().execute(
            update(Node.__table__)
            .where(Node.__table__.c.id == bindparam("nid"))
            .values(position=bindparam("pos")),
            changes,
        )
        # Core statements are invisible to the transaction manager: say we wrote.
        mark_changed(db)
        # A change of order is a change of the site: caches keyed by generation go.
        db.info.setdefault("portal.touched_sites", set()).add(parent.site_id)
        for obj in db.identity_map.values():
            if isinstance(obj, Node) and obj.__dict__.get("parent_id") == parent.id:
                db.expire(obj, ["position"])


def move_step(db: Session, node: Node, delta: int) -> None:
    """Move a node one place up (-1) or down (+1) among its siblings."""
    siblings = list(
        db.scalars(select(Node.id).where(Node.parent_id == node.parent_id).order_by(Node.position, Node.id))
    )
    i = siblings.index(node.id)
    j = max(0, min(len(siblings) - 1, i + delta))
    siblings.insert(j, siblings.pop(i))
    reorder(db, db.get(Node, node.parent_id), siblings)


def delete(db: Session, node: Node) -> None:
    if node.parent_id is None:
        raise TreeError("root cannot be deleted")
    # Children go with it: the foreign key cascades in the database.
    db.delete(node)
    db.flush()
