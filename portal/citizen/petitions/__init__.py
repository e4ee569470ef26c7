"""Petitions (phản ánh, kiến nghị) with public answers.

- ``models``: petitions, their files and history; tracking codes; overdue in Python and SQL;
- ``schemas``: the citizen's form (portal.guard) and the staff's handling form;
- ``choices``: selects of procedures and legal documents (one query each);
- ``public``: ``/phan-anh-kien-nghi`` (form, latest answers), ``/phan-anh-kien-nghi/da-gui``
  (the tracking code, once), ``/phan-anh-kien-nghi/tra-cuu?ma=`` (progress);
- ``staff``: ``/quan-tri/phan-anh-kien-nghi`` (list, one petition, files, publishing the
  answer as a ``question_answer`` node found in the type registry);
- ``demo``: demo petitions for ``portal demo``.
"""


def includeme(config):
    from .demo import load_demo

    config.include(".public")
    config.include(".staff")
    config.registry["portal.types"].demo_hooks.append(load_demo)
