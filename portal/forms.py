"""Forms: deform set-up, the CSRF field every form carries, and shared field types.

Form views check CSRF inside the form (a hidden field with a validator) rather
than through Pyramid's view-level check, so that a stale token re-renders the
form with everything the user typed and a Vietnamese message, instead of
losing it on an error page.
"""

from __future__ import annotations

import datetime as dt
import re

import colander
import deform
from pyramid.csrf import check_csrf_token, get_csrf_token
from pyramid.i18n import get_localizer
from pyramid.threadlocal import get_current_request

from .i18n import _
from .text import TZ, nfc, sanitize_html, slugify, strip_controls


class CSRFTokenWidget(deform.widget.HiddenWidget):
    """Always renders the session's current token, even when re-rendering a failed form."""

    def serialize(self, field, cstruct, **kw):
        request = field.schema.bindings["request"]
        return super().serialize(field, get_csrf_token(request), **kw)


CSRF_EXPIRED = _("Phiên làm việc đã hết hạn. Thông tin bạn nhập vẫn được giữ, hãy gửi lại.")


class CSRFSchema(colander.Schema):
    """Base class for every form schema in the portal.

    The check runs as the schema's own validator so that its message shows at
    the top of the form (hidden fields show no error of their own).
    """

    csrf_token = colander.SchemaNode(colander.String(), widget=CSRFTokenWidget(), missing="", title="")

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if "validator" in cls.__dict__:
            # Overriding it would silently drop the CSRF check.
            raise TypeError(f"{cls.__name__}: put cross-field checks in validate_more()")

    def validator(self, node, appstruct):
        request = self.bindings["request"]
        if not check_csrf_token(request, token="csrf_token", header=None, raises=False):
            raise colander.Invalid(node, CSRF_EXPIRED)
        self.validate_more(node, appstruct)

    def validate_more(self, node, appstruct):
        """Cross-field checks of a subclass go here."""



class NFCString(colander.String):
    """A string normalised to NFC and stripped on the way in."""

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        value = strip_controls(nfc(value)).strip()
        return value if value else colander.null


class RichText(NFCString):
    """HTML cleaned by nh3 on the way in: only safe tags and attributes are kept."""

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        return value if value is colander.null else sanitize_html(value)


_DT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d")


class LocalDateTime(colander.SchemaType):
    """A moment typed in Vietnam's time zone, stored aware in UTC."""

    def serialize(self, node, appstruct):
        if appstruct in (None, colander.null):
            return colander.null
        return appstruct.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None, ""):
            return colander.null
        text = str(cstruct).strip()
        for fmt in _DT_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            if not 1900 <= value.year <= 9999:
                raise colander.Invalid(node, _("Năm phải trong khoảng 1900 đến 9999."))
            return value.replace(tzinfo=TZ).astimezone(dt.UTC)
        raise colander.Invalid(node, _("Ngày giờ không hợp lệ (dd/mm/yyyy hh:mm)."))


def datetime_widget():
    return deform.widget.TextInputWidget(attributes={"type": "datetime-local"})


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_SLUG = 80  # the length slugify() produces from titles


class CalendarDate(colander.SchemaType):
    """A calendar date: ISO from a date control, or dd/mm/yyyy typed by hand."""

    def serialize(self, node, appstruct):
        if appstruct in (None, colander.null):
            return colander.null
        return appstruct.isoformat()

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None) or not str(cstruct).strip():
            return colander.null
        text = str(cstruct).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                value = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if not 1900 <= value.year <= 9999:
                raise colander.Invalid(node, _("Năm phải trong khoảng 1900 đến 9999."))
            return value
        raise colander.Invalid(node, _("Ngày không hợp lệ (dd/mm/yyyy)."))


def date_widget():
    return deform.widget.TextInputWidget(attributes={"type": "date"})


def date_node(title, **kw):
    """An optional calendar date field."""
    kw.setdefault("missing", None)
    kw.setdefault("widget", date_widget())
    return colander.SchemaNode(CalendarDate(), title=title, **kw)


def text_node(title, max_length: int | None = 255, rows: int | None = None, **kw):
    """An optional NFC text field (a text area when ``rows`` is given)."""
    if max_length and "validator" not in kw:
        kw["validator"] = colander.Length(max=max_length)
    if rows and "widget" not in kw:
        kw["widget"] = deform.widget.TextAreaWidget(rows=rows)
    kw.setdefault("missing", "")
    return colander.SchemaNode(NFCString(), title=title, **kw)


def select_node(title, choices: dict, empty: str | None = None, **kw):
    """A choice among ``choices`` (key -> title); ``empty`` titles a blank first choice."""
    keys = ([""] if empty is not None else []) + list(choices)
    values = ([("", empty)] if empty is not None else []) + list(choices.items())
    return colander.SchemaNode(
        colander.String(),
        title=title,
        widget=deform.widget.SelectWidget(values=values),
        validator=colander.OneOf(keys),
        **kw,
    )


def max_rows(limit: int):
    """A sequence validator: at most ``limit`` rows (a form is not a bulk import)."""

    def validate(node, value):
        if len(value) > limit:
            raise colander.Invalid(node, _("Tối đa ${n} dòng.", mapping={"n": limit}))

    return validate


def slug_validator(node, value):
    if len(value) > MAX_SLUG:
        raise colander.Invalid(node, _("Tên đường dẫn dài tối đa 80 ký tự."))
    if not _SLUG.match(value) or slugify(value) != value:
        raise colander.Invalid(node, _("Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang."))


def make_form(request, schema: colander.Schema, buttons=("save",), **kw) -> deform.Form:
    if not isinstance(schema, CSRFSchema):
        raise TypeError("every form's schema derives from CSRFSchema")
    button_objs = [
        b if isinstance(b, deform.Button) else deform.Button(b, title=BUTTON_TITLES.get(b, b))
        for b in buttons
    ]
    # deform's automatic focus picks the first field whose type is exactly a colander
    # type (our NFC strings are subclasses), so it lands on some checkbox halfway down
    # the form, scrolled into view, and keyboard and screen-reader users start there.
    kw.setdefault("focus", "off")
    return deform.Form(schema.bind(request=request), buttons=button_objs, **kw)


BUTTON_TITLES = {"save": _("Lưu")}


def _translator(term):
    request = get_current_request()
    if request is None or not hasattr(term, "interpolate"):
        return term
    return get_localizer(request).translate(term)


def includeme(config):
    # The theme's deform templates (themes/default/templates/*.pt) override deform's
    # own of the same name. Built from scratch each time: includeme runs once per app.
    from pyramid.path import AssetResolver

    resolve = AssetResolver().resolve
    search_path = (
        resolve("themes:default/templates").abspath(),
        resolve("deform:templates").abspath(),
    )
    deform.Form.set_zpt_renderer(search_path, translator=_translator)
    config.add_static_view("deform-static", "deform:static", cache_max_age=86400)


_CONTROL_TAG = re.compile(r'<(input|select|textarea)\b([^>]*?)\bid="(deformField\d+)"([^>]*)>')
_DESCRIBED = re.compile(r'\saria-describedby="([^"]*)"')


def describe_controls(html: str) -> str:
    """Tie each form control to its error message and its help text.

    deform writes them as ``error-<oid>`` and ``help-<oid>`` beside the control but does
    not point the control at them, so a screen reader reading the field says neither:
    add ``aria-describedby`` (keeping any the widget set) and ``aria-invalid``.
    """
    present = set(re.findall(r'\bid="((?:error|help)-deformField\d+)"', html))
    if not present:
        return html

    def link(match: re.Match) -> str:
        tag, before, oid, after = match.groups()
        ids = [i for i in (f"error-{oid}", f"help-{oid}") if i in present]
        if not ids:
            return match.group(0)
        attrs = before + f'id="{oid}"' + after
        closing = ""
        if attrs.endswith("/"):
            attrs, closing = attrs[:-1], "/"
        existing = _DESCRIBED.search(attrs)
        if existing:
            ids = [i for i in ids if i not in existing.group(1).split()]
            joined = " ".join([existing.group(1), *ids]).strip()
            attrs = _DESCRIBED.sub(f' aria-describedby="{joined}"', attrs)
        elif ids:
            attrs += f' aria-describedby="{" ".join(ids)}"'
        if f"error-{oid}" in present and "aria-invalid" not in attrs:
            attrs += ' aria-invalid="true"'
        return f"<{tag}{attrs}{closing}>"

    return _CONTROL_TAG.sub(link, html)
