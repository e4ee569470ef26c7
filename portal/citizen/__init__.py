"""Citizen services: reader feedback, petitions with public answers, dossier lookup,
the satisfaction survey. Every public form goes through ``portal.guard`` (CSRF in the
form, honeypot, per-address limits) and staff mail through ``portal.mail``."""


def includeme(config):
    config.include(".feedback")  # "Phản hồi" under articles, moderation queue
    config.include(".petitions")  # /phan-anh-kien-nghi: petitions, tracking codes, public answers
    config.include(".dossiers")  # /tra-cuu-ho-so: dossier statuses imported from the one-stop office
    config.include(".survey")  # /khao-sat: satisfaction survey and its published results
