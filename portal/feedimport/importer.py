"""Pulling one subscription: fetch, parse, then create or update news articles.

The caller owns the transaction (the CLI commits each subscription on its own; the
"Lấy tin ngay" button runs in its request). The articles' writes happen inside a
savepoint, so a failure half-way through a feed leaves none of its articles behind
and still records the error on the subscription.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from pyramid.settings import asbool
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import tree
from ..i18n import _
from ..models import GroupMember, LocalRole, Node, User, WorkflowHistory, utcnow
from ..permissions import Roles
from ..registry import TypeRegistry
from ..security import Identity
from ..workflow import EVERYONE
from .fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchError, Transport, fetch
from .models import FeedSubscription, ImportedEntry
from .parse import FeedError, FeedItem, parse_feed

log = logging.getLogger(__name__)

NEWS = "news"
UNEXPECTED = _("Lỗi không mong đợi khi nhập nguồn tin; chi tiết trong nhật ký máy chủ.")


@dataclass
class PullResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    not_modified: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self) -> str:
        """One line in Vietnamese, for the CLI and the editor."""
        if self.error:
            return f"lỗi: {self.error}"
        if self.not_modified:
            return "không có gì mới (máy chủ trả 304)"
        return (
            f"{self.new} tin mới, {self.updated} tin cập nhật, "
            f"{self.unchanged} tin không đổi, {self.skipped} tin bỏ qua"
        )


def settings_for(settings: dict) -> dict:
    """Fetch options from the settings (portal.feeds.timeout, portal.feeds.max_bytes)."""
    return {
        "timeout": float(settings.get("portal.feeds.timeout", DEFAULT_TIMEOUT)),
        "max_bytes": int(settings.get("portal.feeds.max_bytes", DEFAULT_MAX_BYTES)),
        "allow_private": asbool(settings.get("portal.feeds.allow_private", False)),
    }


def pull(
    db: Session,
    types: TypeRegistry,
    sub: FeedSubscription,
    *,
    transport: Transport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    now: dt.datetime | None = None,
) -> PullResult:
    """Fetch ``sub`` and import its items; never raises for a broken feed."""
    now = now or utcnow()
    sub.last_checked_at = now
    try:
        response = fetch(
            sub.url,
            etag=sub.etag,
            last_modified=sub.last_modified,
            transport=transport,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private=allow_private,
        )
        if response.not_modified:
            sub.last_error = ""
            return PullResult(not_modified=True)
        feed = parse_feed(response.body, response.url or sub.url, response.headers, now)
        with db.begin_nested():
            result = _import(db, types, sub, feed.title, feed.items, now)
        result.skipped += feed.skipped
    except (FetchError, FeedError) as e:
        sub.last_error = e.message
        return PullResult(error=e.message)
    except Exception:
        # A bug or a database error in one feed must not stop the others (cron).
        log.exception("feed import failed for subscription %s (%s)", sub.id, sub.url)
        sub.last_error = UNEXPECTED.interpolate()
        return PullResult(error=sub.last_error)
    if feed.title:
        sub.title = feed.title
    # Validators only once the answer was imported: a failed import is fetched again in full.
    sub.etag = response.headers.get("etag", "")[:500]
    sub.last_modified = response.headers.get("last-modified", "")[:100]
    sub.last_error = ""
    return result


def _import(db: Session, types: TypeRegistry, sub: FeedSubscription, feed_title: str, items, now):
    info = types.get(NEWS)
    folder = db.get(Node, sub.folder_id)
    if info is None or folder is None or not info.can_be_added_to(folder):
        raise FeedError(_("Thư mục này không nhận tin bài."))
    known = {}
    if items:
        known = {
            e.guid: e
            for e in db.scalars(
                select(ImportedEntry).where(
                    ImportedEntry.subscription_id == sub.id,
                    ImportedEntry.guid.in_([i.guid for i in items]),
                )
            )
        }
    creator = db.get(User, sub.created_by) if sub.created_by else None
    publish = sub.publish_at_once and may_publish(db, types, creator, folder)
    source = feed_title or sub.title
    result = PullResult()
    for item in items:
        entry = known.get(item.guid)
        if entry is None:
            node = _create(db, info, folder, item, creator, publish, source or sub.url, now)
            db.add(
                ImportedEntry(
                    subscription_id=sub.id,
                    guid=item.guid,
                    node_id=node.id,
                    content_hash=item.content_hash,
                    source_url=item.link,
                    imported_at=now,
                    updated_at=now,
                )
            )
            result.new += 1
        elif entry.content_hash == item.content_hash:
            result.unchanged += 1
        else:
            node = db.get(Node, entry.node_id) if entry.node_id else None
            # An article the editors deleted stays deleted; the entry remembers the change.
            if node is not None:
                _fill(node, item, source)
                node.modified = now
            entry.content_hash, entry.source_url = item.content_hash, item.link
            entry.updated_at, entry.updates = now, entry.updates + 1
            result.updated += 1
    db.flush()
    return result


def _fill(node, item: FeedItem, source: str) -> None:
    """The fields the source owns; the state, name and place stay the editors'."""
    node.title = item.title
    node.lead = item.lead
    node.description = " ".join(item.lead.split())[:2000]
    node.body = item.body
    node.source = source[:500]
    node.source_url = item.link
    node.byline = item.author


def _create(db, info, folder: Node, item: FeedItem, creator: User | None, publish: bool, source: str, now):
    when = item.published or now
    node = info.model(owner_id=creator.id if creator else None, state=info.workflow.initial)
    _fill(node, item, source)
    node.created, node.modified = when, now
    try:
        tree.add_child(db, folder, node, name=item.title)
    except tree.TreeError:
        raise FeedError(_("Thư mục quá sâu hoặc đường dẫn quá dài để thêm tin bài.")) from None
    target = "published" if publish else "pending"
    transition = next((t for t in info.workflow.available(node.state) if t.target == target), None)
    if transition is None:
        return node  # a workflow without that step: the article stays in its first state
    db.add(
        WorkflowHistory(
            node_id=node.id,
            actor_id=creator.id if creator else None,
            actor_name=creator.display_name if creator else "",
            at=now,
            transition=transition.name,
            from_state=node.state,
            to_state=target,
            comment=_comment(source),
        )
    )
    node.state = target
    if target == "published":
        # The source's date: the article keeps its place in "latest news".
        node.effective = when
    return node


def _comment(source: str) -> str:
    return f"Nhập từ nguồn tin “{source}”"[:2000]


def may_publish(db: Session, types: TypeRegistry, user: User | None, folder: Node) -> bool:
    """May ``user`` publish a news article of their own in ``folder``?

    Checked at every pull, with the roles the user holds now: a subscription set
    to publish at once by a reviewer imports for review once they lose the role.
    """
    info = types.get(NEWS)
    if user is None or not user.active or info is None:
        return False
    workflow = info.workflow
    transition = next((t for t in workflow.available(workflow.initial) if t.target == "published"), None)
    if transition is None:
        return False
    groups = db.scalars(select(GroupMember.group_id).where(GroupMember.user_id == user.id)).all()
    principals = [user.principal] + [f"group:{g}" for g in groups]
    rows = db.execute(
        select(Node.path, LocalRole.role)
        .join(Node, Node.id == LocalRole.node_id)
        .where(LocalRole.principal.in_(principals), Node.site_id == folder.site_id)
    ).all()
    identity = Identity(
        user=user, display_name=user.display_name, principals=principals, local_roles=[tuple(r) for r in rows]
    )
    # The article to be: in the folder, owned by the user, in the workflow's first state.
    roles = identity.roles_at(folder) | {Roles.Owner}
    allowed = workflow.grants(workflow.initial, live=True).get(transition.permission, frozenset())
    return EVERYONE in allowed or bool(roles & allowed)
