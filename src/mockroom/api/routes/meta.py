"""Health and the list of bank topics (for the setup screen's suggestions)."""

from fastapi import APIRouter

from mockroom import __version__
from mockroom.interviews.schemas import TopicOut
from mockroom.questions.bank import load_bank

router = APIRouter(tags=["meta"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: the server is up."""
    return {"status": "ok", "version": __version__}


@router.get("/topics", response_model=list[TopicOut])
def topics() -> list[TopicOut]:
    """Topics of the built-in question bank; any other topic is accepted too."""
    return [TopicOut(slug=t.topic, title=t.title, category=t.category) for t in load_bank().values()]
