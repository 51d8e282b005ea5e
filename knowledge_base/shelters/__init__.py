"""Shelter registry: the official GSI data (指定緊急避難場所・指定避難所), the nearest safe place per hazard,
and the opening status staff set. Staff commands: python -m knowledge_base.shelters (see README.md here).

Modules: gsi_csv (reading the files), places (joining them by place), registry (loading, nearest per hazard),
spatial (the index), towns (町名 from addresses), coverage (is a point in the city), finder (what to suggest),
status (opening status in PostgreSQL), importer / download (national files), cli (staff commands).
Import from the modules: this package imports nothing heavy on its own, so the commands start fast.
"""
