"""The petitions' settings (defaults in portal/settings.py), read where they are used."""

from __future__ import annotations

DEFAULT_DEPARTMENTS = "Văn phòng HĐND và UBND, Phòng Tư pháp, Phòng Tài nguyên và Môi trường, Bộ phận Một cửa"


def departments(settings) -> list[str]:
    text = settings.get("portal.petitions.departments") or DEFAULT_DEPARTMENTS
    return list(dict.fromkeys(d.strip() for d in text.split(",") if d.strip()))


def due_days(settings) -> int:
    try:
        return max(1, int(settings.get("portal.petitions.due_days") or 15))
    except ValueError:
        return 15


def answers_folder(settings) -> str:
    """The path of the folder published answers go to, "/hoi-dap/" form."""
    path = (settings.get("portal.petitions.answers_folder") or "/hoi-dap/").strip()
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def attachment_max_bytes(settings) -> int:
    return int(settings.get("portal.petitions.attachment_max_bytes") or 5 * 1024 * 1024)
