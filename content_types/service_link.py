"""Service link (liên kết dịch vụ): online filing, dossier lookup, feedback, hotline,
survey, the public-service portals; shown as a block of icons on the home page."""

from __future__ import annotations

import colander
import deform
from pyramid.events import BeforeRender, subscriber
from pyramid.view import view_config
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from portal.blocks import cached_block
from portal.forms import NFCString
from portal.i18n import _
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema
from portal.workflow import visible_clause

from .link import url_validator

KINDS = {
    "nop-ho-so": _("Nộp hồ sơ trực tuyến"),
    "tra-cuu": _("Tra cứu hồ sơ"),
    "phan-anh": _("Phản ánh, kiến nghị"),
    "duong-day-nong": _("Đường dây nóng"),
    "khao-sat": _("Khảo sát mức độ hài lòng"),
    "cong-dich-vu": _("Cổng dịch vụ công"),
}
PLACES = {
    "home": _("Trang chủ"),
    "footer": _("Chân trang"),
    "both": _("Trang chủ và chân trang"),
}


class ServiceLink(Node):
    __tablename__ = "service_links"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), default="")
    kind: Mapped[str] = mapped_column(String(32), default="cong-dich-vu")
    placement: Mapped[str] = mapped_column(String(16), default="home")

    __mapper_args__ = {"polymorphic_identity": "service_link"}


def service_url_validator(node, value):
    """Web addresses as for links; a hotline may also be a telephone number (tel:), and a
    service of this site a path of its own (/khao-sat, /tra-cuu-ho-so, /phan-anh-kien-nghi)."""
    if value.startswith("/") and not value.startswith("//"):
        if " " in value or "\\" in value or len(value) > 2048:
            raise colander.Invalid(node, _("Đường dẫn trong trang không hợp lệ (ví dụ: /khao-sat)."))
        return
    if value.startswith("tel:"):
        digits = value[4:].replace(" ", "").replace(".", "")
        if not digits.lstrip("+").isdigit() or not 3 <= len(digits) <= 16:
            raise colander.Invalid(node, _("Số điện thoại không hợp lệ (ví dụ: tel:1022)."))
        return
    url_validator(node, value)


class ServiceLinkSchema(BaseContentSchema):
    url = colander.SchemaNode(
        NFCString(),
        title=_("Địa chỉ"),
        description=_("https://…, tel:… cho đường dây nóng, hoặc /… cho một trang của trang này"),
        validator=service_url_validator,
    )
    kind = colander.SchemaNode(
        colander.String(),
        title=_("Loại dịch vụ"),
        widget=deform.widget.SelectWidget(values=list(KINDS.items())),
        validator=colander.OneOf(list(KINDS)),
    )
    placement = colander.SchemaNode(
        colander.String(),
        title=_("Hiển thị ở"),
        widget=deform.widget.SelectWidget(values=list(PLACES.items())),
        validator=colander.OneOf(list(PLACES)),
        default="home",
    )


def service_links(request, places=("home", "both"), limit: int = 12):
    """Published service links of this site for a block, in folder order: one query."""
    return request.dbsession.execute(
        select(ServiceLink.title, ServiceLink.description, ServiceLink.url, ServiceLink.kind)
        .where(
            ServiceLink.site_id == request.root_node.site_id,
            ServiceLink.placement.in_(places),
            visible_clause(entity=ServiceLink),
        )
        .order_by(ServiceLink.position, ServiceLink.id)
        .limit(limit)
    ).all()


def footer_links(request) -> list[tuple]:
    """Service links placed in the footer of every page (cached for anonymous visitors)."""

    def load():
        rows = service_links(request, places=("footer", "both"))
        return [(r.title, r.url, r.kind) for r in rows]

    try:
        return cached_block(request, "footer-links", load)
    except DBAPIError:
        return []  # the error page of a database outage must still render


@subscriber(BeforeRender)
def add_footer_links(event):
    request = event.get("request")
    # Only where the site is already known: the footer never starts database work
    # on its own (error pages render the layout too).
    if request is not None and "site_info" in request.__dict__:
        event.setdefault("footer_links", lambda: footer_links(request))


@view_config(context=ServiceLink, renderer="service_link.html", permission=Permissions.View)
def service_link_view(context: ServiceLink, request):
    return {"context": context, "kind_title": KINDS.get(context.kind, "")}


def includeme(config):
    config.add_content_type(
        ServiceLink,
        title=_("Liên kết dịch vụ"),
        schema=ServiceLinkSchema,
        addable_to=("site", "folder"),
    )
    config.scan(__name__)
