"""/api/v1/types: the content types, their fields and where each may be added."""

from __future__ import annotations

from .content import check_token
from .fields import describe_fields, type_schema


def types_json(request) -> list[dict]:
    t = request.localizer.translate
    types = sorted(request.content_types, key=lambda info: info.name)
    out = []
    for info in types:
        out.append(
            {
                "name": info.name,
                "title": t(info.title),
                "container": info.container,
                "addable_to": list(info.addable_to),
                # Where it may go is a rule of the type; whether this caller may add
                # it somewhere also needs the Add permission there (checked on POST).
                "workflow": {
                    "initial": info.workflow.initial,
                    "states": {name: t(st.title) for name, st in info.workflow.states.items()},
                    "transitions": {
                        name: {"title": t(tr.title), "from": list(tr.sources), "to": tr.target}
                        for name, tr in info.workflow.transitions.items()
                    },
                },
                "fields": describe_fields(request, type_schema(request, info)),
            }
        )
    return out


def types_view(request):
    check_token(request)
    return {"types": types_json(request)}
