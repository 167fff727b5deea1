"""The one place that imports every area's models, so metadata is complete."""
