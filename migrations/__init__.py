"""Alembic's scripts for Counter's schema. Installed as ``counter_app.migrations`` (see
``setup.py``) and run by ``counter_app.db.migrate``; ``alembic.ini`` here is for writing
revisions."""
