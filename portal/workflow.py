"""Workflow as data: states, transitions, who may do what in each state.

The one visibility rule for anonymous visitors ("published, effective <= now,
not expired") lives here, in Python (``is_live``) and in SQL
(``visible_clause``); listings, navigation and the traverser all use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, or_

from .i18n import _
from .models import Node, WorkflowHistory, utcnow
from .permissions import Permissions as P
from .permissions import Roles as R

EVERYONE = "Everyone"  # pseudo-role: granted to every principal

Grant = Mapping[str, frozenset[str]]


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


# Permissions that do not depend on the workflow state.
COMMON: Grant = {
    P.Add: roles(R.Owner, R.Contributor, R.Editor, R.SiteAdministrator),
    P.Sharing: roles(R.Editor, R.SiteAdministrator),
    P.ManageSite: roles(R.SiteAdministrator),
    P.ModerateFeedback: roles(R.Editor, R.Reviewer, R.SiteAdministrator),
    P.HandlePetitions: roles(R.Editor, R.SiteAdministrator),
    P.ManageDossiers: roles(R.SiteAdministrator),
    P.ManageSurvey: roles(R.SiteAdministrator),
}

_PRIVATE_VIEW = roles(R.Owner, R.Reader, R.Editor, R.Reviewer, R.SiteAdministrator)


@dataclass(frozen=True)
class State:
    name: str
    title: str
    grants: Grant
    public: bool = False  # viewable by everyone once effective and not expired


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    sources: tuple[str, ...]
    target: str
    permission: P


class WorkflowError(Exception):
    pass


@dataclass(frozen=True)
class Workflow:
    name: str
    initial: str
    states: dict[str, State]
    transitions: dict[str, Transition]

    def grants(self, state: str, live: bool) -> Grant:
        """Permission -> roles for a node in ``state``.

        A public state that is not live yet (or any more) is seen only by those
        who may see unpublished content.
        """
        st = self.states.get(state) or self.states[self.initial]
        grants = dict(COMMON)
        grants.update(st.grants)
        if st.public and not live:
            grants[P.View] = _PRIVATE_VIEW
        return grants

    @property
    def viewer_roles(self) -> frozenset[str]:
        """Roles that may view a node whatever its state (Owner aside)."""
        sets = [self.grants(s, live=False).get(P.View, frozenset()) for s in self.states]
        return frozenset.intersection(*sets) - {R.Owner}

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


SIMPLE_PUBLICATION = Workflow(
    name="simple_publication",
    initial="private",
    states={
        "private": State(
            "private",
            _("Riêng tư"),
            {
                P.View: _PRIVATE_VIEW,
                P.Edit: roles(R.Owner, R.Editor, R.SiteAdministrator),
                P.Delete: roles(R.Owner, R.Editor, R.SiteAdministrator),
                P.Submit: roles(R.Owner, R.Editor, R.SiteAdministrator),
                P.Review: roles(R.Reviewer, R.SiteAdministrator),
            },
        ),
        "pending": State(
            "pending",
            _("Chờ duyệt"),
            {
                P.View: _PRIVATE_VIEW,
                P.Edit: roles(R.Editor, R.Reviewer, R.SiteAdministrator),
                P.Delete: roles(R.Editor, R.SiteAdministrator),
                P.Review: roles(R.Reviewer, R.SiteAdministrator),
            },
        ),
        "published": State(
            "published",
            _("Đã xuất bản"),
            {
                P.View: roles(EVERYONE),
                P.Edit: roles(R.Editor, R.SiteAdministrator),
                P.Delete: roles(R.Editor, R.SiteAdministrator),
                P.Retract: roles(R.Owner, R.Editor, R.Reviewer, R.SiteAdministrator),
            },
            public=True,
        ),
        "retracted": State(
            "retracted",
            _("Đã thu hồi"),
            {
                P.View: _PRIVATE_VIEW,
                P.Edit: roles(R.Owner, R.Editor, R.SiteAdministrator),
                P.Delete: roles(R.Editor, R.SiteAdministrator),
                P.Submit: roles(R.Owner, R.Editor, R.SiteAdministrator),
                P.Review: roles(R.Reviewer, R.SiteAdministrator),
            },
        ),
    },
    transitions={
        "submit": Transition("submit", _("Gửi duyệt"), ("private", "retracted"), "pending", P.Submit),
        "publish": Transition(
            "publish", _("Xuất bản"), ("private", "pending", "retracted"), "published", P.Review
        ),
        "reject": Transition("reject", _("Trả lại"), ("pending",), "private", P.Review),
        "retract": Transition("retract", _("Thu hồi"), ("published",), "retracted", P.Retract),
    },
)


def is_live(node: Node, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return (node.effective is None or node.effective <= now) and (node.expires is None or node.expires > now)


# States whose items everyone may see once effective; lineage visibility is built on it.
PUBLIC_STATES = frozenset(name for wf in (SIMPLE_PUBLICATION,) for name, st in wf.states.items() if st.public)


def visible_to_anonymous(node: Node, now: dt.datetime | None = None) -> bool:
    """``visible_clause`` in Python, on a loaded node's lineage columns."""
    now = now or utcnow()
    return bool(
        node.public
        and (node.public_from is None or node.public_from <= now)
        and (node.public_until is None or node.public_until > now)
    )


def visible_clause(now: dt.datetime | None = None, entity=Node):
    """SQL condition: anonymous visitors may see the row. The one place it is written.

    It reads the lineage columns kept by ``portal.visibility``, so an item inside a
    private, pending or expired folder is hidden too, in any query across the tree.
    """
    now = now or utcnow()
    return and_(
        entity.public.is_(True),
        or_(entity.public_from.is_(None), entity.public_from <= now),
        or_(entity.public_until.is_(None), entity.public_until > now),
    )


def do_transition(request, node: Node, name: str, comment: str = "") -> WorkflowHistory:
    """Apply a transition after checking it exists here and the user may fire it."""
    workflow = request.content_types.workflow_for(node)
    transition = workflow.transitions.get(name)
    if transition is None or node.state not in transition.sources:
        raise WorkflowError(_("Không thể chuyển trạng thái này."))
    if not request.has_permission(transition.permission, node):
        raise WorkflowError(_("Bạn không có quyền thực hiện thao tác này."))
    entry = WorkflowHistory(
        node_id=node.id,
        actor_id=request.user.id if request.user else None,
        actor_name=request.user.display_name if request.user else "",
        transition=name,
        from_state=node.state,
        to_state=transition.target,
        comment=comment,
    )
    node.state = transition.target
    now = utcnow()
    node.modified = now
    if transition.target == "published" and node.effective is None:
        node.effective = now
    request.dbsession.add(entry)
    return entry
