"""The satisfaction survey: questions set by administrators, the public form
(/khao-sat), published results (/khao-sat/ket-qua), moderation of free text."""


def includeme(config):
    from .demo import seed_demo

    config.include(".views")
    config.include(".admin_views")
    config.registry["portal.types"].demo_hooks.append(seed_demo)
