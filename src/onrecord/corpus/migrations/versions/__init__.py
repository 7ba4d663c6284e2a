"""The store's revisions, oldest first (Alembic reads the files; this marks the folder as package data)."""
