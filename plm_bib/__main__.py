from plm_bib.cli import main

main(prog_name="plm-bib")
