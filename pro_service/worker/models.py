"""What the worker keeps beside the areas' own tables."""
from datetime import datetime

from sqlmodel import Field, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow


class RenderedLetter(SQLModel, table=True):
    """A due letter the worker has rendered to the letter folder, so it is never rendered again.

    The letter is a draft for the clinician to review and finalize (a `Letter`
    row); the PDF's SHA-256 says which file it was.
    """

    __tablename__ = "rendered_letter"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    milestone_event_id: str = Field(foreign_key="milestone_event.id", unique=True, max_length=32)
    sha256: str = Field(max_length=64)
    rendered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
