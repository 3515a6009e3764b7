"""The rule sheet (``GET /v1/rules``): what each rationale id means."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RuleOut(BaseModel):
    id: str = Field(examples=["S3"])
    title: str = Field(description="The rule in one sentence")
    numbers: str = Field(description="Its numbers")
    evidence: str = Field(description="Where the numbers come from (RULES.md has the citations)")


class RuleList(BaseModel):
    rules: list[RuleOut]
