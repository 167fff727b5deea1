"""The JSON API for EPR systems at /api/v1, with its OpenAPI description."""
