"""GET /v1/rules: the rule sheet, so a client can expand a rationale id into its sentence."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.schemas.rules import RuleList
from recommender.rule_sheet import RULES

router = APIRouter(prefix="/v1/rules", tags=["rules"])
_BODY = (
    RuleList.model_validate({"rules": [r.__dict__ for r in RULES.values()]})
    .model_dump_json()
    .encode()
)


@router.get("", response_model=RuleList)
def list_rules() -> Response:
    """Public (the rules are the product's documentation, not anyone's data); cacheable."""
    return Response(_BODY, media_type="application/json", headers={"Cache-Control": "max-age=3600"})
