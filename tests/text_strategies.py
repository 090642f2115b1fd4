"""Hypothesis strategies of arbitrary and hostile text, shared by the property tests."""
from hypothesis import strategies as st

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
# text with the characters that matter to Markdown, BibTeX, LaTeX and URLs
HOSTILE = st.text(alphabet=st.sampled_from(list("[](){}<>\\#$%&_^~*`|@\"' \n\t:/.-,;!?") + ["a", "B", "1", "中", "é"]),
                  max_size=200)
