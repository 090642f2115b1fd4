"""Sphinx configuration: MyST Markdown pages, autodoc for the API, sphinx-click for the CLI.

Build: ``python -m sphinx -W -b html docs docs/_build/html`` (warnings are errors in CI).
"""
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "plm_bib"
author = "plm_bib developers"
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx_click"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "example.ipynb"]
master_doc = "index"
html_theme = "alabaster"
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "description"
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
