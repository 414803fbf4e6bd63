"""Editors' changes to the catalog, stored in the database and laid over the files.

The config and catalog files stay the starting point. What editors change on the page
(or with ``reminderd catalog``) is stored as overlays and applied on top of the files
each time they are loaded, in one place (:mod:`.merge`):

files → partners (:mod:`.partners`: a country moved to another tier, or out) → event
overrides (:mod:`.overrides`: an event disabled, a task's lead time, lead or
coordinating departments changed, a task added — each validated by the catalog's own
validator) → ad-hoc and imported items (:mod:`reminderd.adhoc`).

An overlay the files no longer allow (the task it changes was removed from its file) is
a *conflict*: reported on ``/healthz``, by ``reminderd check`` and on the page, and
never applied halfway or dropped silently.
"""
