"""The metadata migrations are written against: the core and every shipped type."""

from __future__ import annotations


def target_metadata():
    import content_types.file  # noqa: F401
    import content_types.folder  # noqa: F401
    import content_types.image  # noqa: F401
    import content_types.legal_document  # noqa: F401
    import content_types.legal_review  # noqa: F401
    import content_types.link  # noqa: F401
    import content_types.news  # noqa: F401
    import content_types.page  # noqa: F401
    import content_types.procedure  # noqa: F401
    import content_types.question_answer  # noqa: F401
    import content_types.service_link  # noqa: F401
    import portal.citizen.dossiers.models  # noqa: F401
    import portal.citizen.feedback.models  # noqa: F401
    import portal.citizen.petitions.models  # noqa: F401
    import portal.citizen.survey.models  # noqa: F401
    import portal.feedimport.models  # noqa: F401
    import portal.models.limits  # noqa: F401
    import search.models  # noqa: F401
    from portal.models import Base

    return Base.metadata
