"""Storage: SQLAlchemy models, the engine / unit-of-work factory, and migrations glue."""
