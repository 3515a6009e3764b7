"""GET /: the dashboard (static files under /static, no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(tags=["dashboard"])
INDEX = Path(__file__).resolve().parent.parent / "static" / "index.html"


@router.get(
    "/",
    response_class=FileResponse,
    responses={200: {"description": "The dashboard", "content": {"text/html": {}}}},
)
def dashboard() -> FileResponse:
    return FileResponse(INDEX, media_type="text/html; charset=utf-8")
