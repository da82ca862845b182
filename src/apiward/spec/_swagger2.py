"""Swagger 2.0 -> ``ApiModel`` (being built)."""

from __future__ import annotations

from apiward.core import SpecError
from apiward.spec._model import ApiModel
from apiward.spec._refs import Resolver

__all__ = ["build_swagger2"]


def build_swagger2(resolver: Resolver) -> ApiModel:
    raise SpecError("Swagger 2.0 is not supported yet", source=resolver.root.display, pointer="/swagger")
