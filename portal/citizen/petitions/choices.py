"""Selects of content nodes (procedures, legal documents) by id, in one query each.

Shared by the petition forms and the ``question_answer`` type's form; the types are
named by their registry names (``nodes.type``), so nothing here imports a content type.
"""

from __future__ import annotations

import colander
import deform
from sqlalchemy import select

from portal.i18n import _
from portal.listing import may_see_clause
from portal.models import Node
from portal.text import row_id
from portal.workflow import visible_clause

PROCEDURE, LEGAL_DOCUMENT = "procedure", "legal_document"
GROUP_TITLES = {PROCEDURE: _("Thủ tục hành chính"), LEGAL_DOCUMENT: _("Văn bản")}
MAX_OPTIONS = 2000  # a select, not a catalogue: the newest sites have far fewer


def node_rows(request, type_names, public_only: bool) -> list:
    """(id, type, title) of this site's nodes of ``type_names``, ordered by title: those
    anonymous visitors may see (``public_only``) or those the user may see."""
    visible = visible_clause() if public_only else may_see_clause(request)
    return request.dbsession.execute(
        select(Node.id, Node.type, Node.title)
        .where(Node.site_id == request.root_node.site_id, Node.type.in_(list(type_names)), visible)
        .order_by(Node.title, Node.id)
        .limit(MAX_OPTIONS)
    ).all()


def select_values(request, rows, empty) -> list:
    """deform select values: a blank first choice, then one optgroup per type."""
    values: list = [("", request.t(empty))]
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.type, []).append((str(r.id), r.title))
    for type_name, options in groups.items():
        label = request.t(GROUP_TITLES.get(type_name, type_name))
        if len(groups) > 1:
            values.append(deform.widget.OptGroup(label, *options))
        else:
            values.extend(options)
    return values


class NodeId(colander.SchemaType):
    """A node chosen in a select: "" is none (None), otherwise a row id."""

    def serialize(self, node, appstruct):
        return "" if appstruct in (None, colander.null) else str(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None, ""):
            return None
        value = row_id(cstruct)
        if value is None:
            raise colander.Invalid(node, _("Lựa chọn không hợp lệ."))
        return value


def node_select(title, type_names, public_only: bool, empty, **kw):
    """A select of nodes bound to the request: widget and check from one query."""

    @colander.deferred
    def widget(node, kw_):
        return deform.widget.SelectWidget(values=_values(node, kw_))

    @colander.deferred
    def validator(node, kw_):
        allowed = {r.id for r in _rows(node, kw_)}

        def check(n, value):
            if value is not None and value not in allowed:
                raise colander.Invalid(n, _("Lựa chọn không hợp lệ."))

        return check

    def _rows(node, kw_):
        # Bound once per form: the widget and the validator share the query's rows.
        cache = kw_.setdefault("_node_rows", {})
        if node.name not in cache:
            cache[node.name] = node_rows(kw_["request"], type_names, public_only)
        return cache[node.name]

    def _values(node, kw_):
        return select_values(kw_["request"], _rows(node, kw_), empty)

    kw.setdefault("missing", None)
    return colander.SchemaNode(NodeId(), title=title, widget=widget, validator=validator, **kw)
