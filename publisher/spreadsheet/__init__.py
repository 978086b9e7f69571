"""The spreadsheet path for contributors: a template of actions (CSV with its Table Schema, and
an XLSX workbook with drop-down lists), generated from the vocabularies, and the conversion of
a filled template into RDF, every triple remembered with the cell it comes from."""
