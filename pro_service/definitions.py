"""Instruments and packages, loaded and validated once at start-up and shared read-only."""
from __future__ import annotations

from flask import Flask, current_app

from pro_service.config import Settings
from pro_service.instruments.catalog import Catalog, load_catalog
from pro_service.pathways.packages import Packages, load_packages

CATALOG_KEY = "pro_service.catalog"
PACKAGES_KEY = "pro_service.packages"


def init_app(app: Flask, settings: Settings) -> None:
    # An invalid file stops start-up with a message naming the file and the path inside it.
    catalog = load_catalog(settings.surveys_dir / "instruments")
    app.extensions[CATALOG_KEY] = catalog
    app.extensions[PACKAGES_KEY] = load_packages(settings.surveys_dir / "packages", catalog)


def catalog() -> Catalog:
    return current_app.extensions[CATALOG_KEY]


def packages() -> Packages:
    return current_app.extensions[PACKAGES_KEY]
