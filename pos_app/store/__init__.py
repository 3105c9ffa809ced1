"""SQLite journal of charge attempts and the customer index. Never card data."""
