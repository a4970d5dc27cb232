"""Storage: SQLModel tables, SQL repositories and the unit of work, on SQLite or PostgreSQL."""
