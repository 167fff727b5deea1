"""Clinicians, roles, unit-based access and API clients."""
