"""Command-line commands that need neither the application nor a database."""
