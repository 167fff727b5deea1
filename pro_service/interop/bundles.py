"""Bundles: a pathway's resources as a `collection`, and a page of search results as a `searchset`."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource


def full_url(base: str, resource: Resource) -> str:
    return f"{base}/{resource.get_resource_type()}/{resource.id}"


def collection(resources: Iterable[Resource], *, base: str) -> Bundle:
    """Every resource once, with its full URL, so references like `Patient/…` resolve inside the bundle."""
    return Bundle.model_validate({"type": "collection", "entry": [
        {"fullUrl": full_url(base, resource), "resource": resource} for resource in resources]})


def searchset(resources: Sequence[Resource], *, base: str, total: int, self_url: str,
              next_url: str | None) -> Bundle:
    links = [{"relation": "self", "url": self_url}]
    if next_url is not None:
        links.append({"relation": "next", "url": next_url})
    return Bundle.model_validate({"type": "searchset", "total": total, "link": links, "entry": [
        {"fullUrl": full_url(base, resource), "resource": resource, "search": {"mode": "match"}}
        for resource in resources]})
