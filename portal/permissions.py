"""Permissions and roles: the vocabulary shared by security, workflow and views."""

from __future__ import annotations

from enum import StrEnum

from .i18n import _


class Permissions(StrEnum):
    View = "view"
    Add = "add"
    Edit = "edit"
    Delete = "delete"
    Submit = "submit"
    Review = "review"
    Retract = "retract"
    Sharing = "sharing"
    ManageSite = "manage_site"
    # Citizen services (site-wide: checked at the site root).
    ModerateFeedback = "moderate_feedback"  # readers' feedback, survey comments
    HandlePetitions = "handle_petitions"  # classify, assign, answer, publish answers
    ManageDossiers = "manage_dossiers"  # import and push dossier statuses
    ManageSurvey = "manage_survey"  # the survey's questions


class Roles(StrEnum):
    Reader = "Reader"
    Contributor = "Contributor"
    Editor = "Editor"
    Reviewer = "Reviewer"
    SiteAdministrator = "SiteAdministrator"
    # Never granted: held by a node's owner on that node only.
    Owner = "Owner"


# Roles an administrator can grant, in the order the UI lists them.
GRANTABLE_ROLES = (
    Roles.Reader,
    Roles.Contributor,
    Roles.Editor,
    Roles.Reviewer,
    Roles.SiteAdministrator,
)

ROLE_TITLES = {
    Roles.Reader: _("Người xem"),
    Roles.Contributor: _("Người đóng góp"),
    Roles.Editor: _("Biên tập viên"),
    Roles.Reviewer: _("Người duyệt"),
    Roles.SiteAdministrator: _("Quản trị trang"),
    Roles.Owner: _("Chủ sở hữu"),
}
