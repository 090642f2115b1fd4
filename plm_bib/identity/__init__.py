"""Identity: when two records are the same paper, and how they become one.  The reading-list
parser (duplicate listings), the curated overlay (a listing and its curated record) and
enrichment (a record and what a source found) all decide and merge here.

**The fold** (:func:`~plm_bib.identity.text.fold`): the keys' ASCII fold (``Groß`` ->
``Gross``, Han as pinyin), used wherever names are romanised.  **The normalised title**
(:func:`~plm_bib.identity.text.normalize_title`): casefolded, every character that is not a
letter or digit dropped, letters of every script kept (accents are not folded).

**The same-work rule** (:mod:`~plm_bib.identity.rule`): two records are the same work when

1. they have the same id under one scheme of :data:`~plm_bib.identity.rule.ID_SCHEMES`
   (arXiv, ACL Anthology, DOI, OpenReview, PMLR, DBLP; case-insensitive; an arXiv DOI,
   10.48550/..., is the preprint's and does not make a DOI in common); different ids do not
   by themselves make different works (a preprint and its published version);
2. or their normalised titles are equal, and the evidence of who wrote it agrees, by how
   much the match is trusted: two listings of one reading list, and a listing and the
   curated record of the list, need the title alone (a listing's title of at least
   :data:`~plm_bib.identity.rule.MIN_LISTING_TITLE` characters; a resource needs its link
   too); a candidate a source found by *search* needs the authors to agree (family names in
   their own script or romanised, :func:`~plm_bib.identity.authors.authors_agree`; two of
   them, or one when either side lists one), or, without authors, the list's claimed venue
   and year; and it must not contradict the list's claimed venue or year
   (:func:`~plm_bib.identity.rule.contradiction`).

A year counts only as part of the list's claims (a search's candidate more than a year from
a claimed published venue's year, or two from a preprint's, is refused).

**The merge** (:mod:`~plm_bib.identity.merge`), by one precedence: the list < what an id says
by itself < a source by search < a source by id < the curated file; the provenance keys that
are not fields are named in :mod:`~plm_bib.identity.provenance`.
"""
from plm_bib.identity.authors import agreeing_authors, authors_agree, name_forms
from plm_bib.identity.merge import MERGED_FIELDS, is_preprint, merge_curated, merge_found, merge_listings
from plm_bib.identity.provenance import CURATED, FILE_ORIGINS, LIST, ORIGIN, ORIGIN_PRECEDENCE, VERIFIED, read_from_file
from plm_bib.identity.rule import (
    ID_SCHEMES,
    LISTING_ID_SCHEMES,
    MIN_LISTING_TITLE,
    contradiction,
    id_keys,
    identity_keys,
    is_datacite_arxiv,
    lookup_keys,
    same_work,
    title_key,
    work_keys,
)
from plm_bib.identity.text import fold, letters, normalize_title

__all__ = ["fold", "letters", "normalize_title", "name_forms", "authors_agree", "agreeing_authors",
           "ID_SCHEMES", "LISTING_ID_SCHEMES", "MIN_LISTING_TITLE", "is_datacite_arxiv", "id_keys", "title_key",
           "work_keys", "lookup_keys", "identity_keys", "same_work", "contradiction",
           "MERGED_FIELDS", "is_preprint", "merge_listings", "merge_curated", "merge_found",
           "ORIGIN", "VERIFIED", "FILE_ORIGINS", "LIST", "CURATED", "ORIGIN_PRECEDENCE", "read_from_file"]
