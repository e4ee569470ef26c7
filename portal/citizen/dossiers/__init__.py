"""Filled in by its own change."""


def includeme(config):
    pass
