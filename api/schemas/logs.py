"""What the athlete logs: the strength log, the exercise catalogue it names, morning check-ins."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from api.schemas.common import Body, Bool, Day, InDay, Int, Note, Num, plain_text

ExerciseText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A catalogue id, name or alias (any case, spaces, hyphens or plural: "
        '"back_squat", "Back squat", "back-squats", "RDL", "BSS"), or any name with '
        '"custom": true. GET /v1/exercises lists the catalogue.',
        examples=["Back squat"],
    ),
    AfterValidator(plain_text),  # no control characters (api.plain_text)
]


class StrengthSetIn(Body):
    reps: Annotated[Int, Field(ge=0, le=1000)]
    load_kg: Annotated[Num, Field(ge=0, le=1000)] | None = None
    rpe: Annotated[Num, Field(ge=0, le=10)] | None = None
    seconds: Annotated[Int, Field(ge=0, le=36000)] | None = Field(
        None, description="A timed set (a plank, a wall sit): how long it was held"
    )


Sets = Annotated[list[StrengthSetIn], Field(min_length=1, max_length=50)]


class StrengthEntryIn(Body):
    date: InDay
    exercise: ExerciseText
    sets: Sets
    custom: Bool = Field(
        False,
        description="Keep an exercise the catalogue does not know under its own name: shown "
        "in the log, drives no rule. A name the catalogue knows is logged as the catalogue's.",
    )


class StrengthEntryPatch(Body):
    """Any subset of an entry. Changing the sets asks for a new confirmation of a flagged set,
    unless ``confirmed`` is sent with them."""

    date: InDay | SkipJsonSchema[None] = None
    exercise: ExerciseText | SkipJsonSchema[None] = None
    sets: Sets | SkipJsonSchema[None] = None
    custom: Bool | SkipJsonSchema[None] = None
    confirmed: Bool | SkipJsonSchema[None] = Field(
        None, description="true: a flagged set is right (the plan then uses it)"
    )

    @field_validator("date", "exercise", "sets", "custom", "confirmed")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null")
        return value


class StrengthSet(BaseModel):
    reps: int
    load_kg: float | None = None
    rpe: float | None = None
    seconds: int | None = None


class StrengthEntry(BaseModel):  # as stored (input rules apply to what is sent, not older rows)
    id: int
    date: Day
    exercise: str = Field(description="The catalogue id; for a custom entry, its own name")
    name: str = Field(description="How to show it: the catalogue name, or the custom name")
    custom: bool
    sets: list[StrengthSet]
    flagged: str | None = Field(
        None,
        description="Why a set looks implausible against the athlete's own history (more than "
        "1.5 × the best e1RM logged for the lift): the plan ignores the entry until it is "
        'confirmed (PATCH {"confirmed": true}) or corrected',
    )
    confirmed: bool = False
    source: Literal["manual", "watch"] = Field(
        "manual", description="watch: read from a strength activity (`activity_id`)"
    )
    activity_id: int | None = None


class StrengthLog(BaseModel):
    entries: list[StrengthEntry]


class CatalogueExercise(BaseModel):
    id: str
    name: str
    aliases: list[str]
    focus: str
    equipment: list[str]
    fit_exercise_category: str | None = Field(
        description="Garmin FIT exercise_category of the workout step (null: FIT has no "
        "equivalent; the step then carries the exercise's name only)"
    )
    fit_exercise_name: str | None = Field(description="Garmin FIT exercise name in that category")


class ExerciseList(BaseModel):
    exercises: list[CatalogueExercise]


class CheckinIn(Body):
    date: InDay
    sleep_hours: Annotated[Num, Field(ge=0, le=24)] | None = None
    soreness: Annotated[Num, Field(ge=0, le=10)] | None = None
    note: Note | None = None


class Checkin(CheckinIn):
    id: int
    note: str | None = None  # as stored


class CheckinList(BaseModel):
    checkins: list[Checkin]
