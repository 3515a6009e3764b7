"""A Strava export's activities.csv gives names and types, whatever language its header is in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.sync.strava_export import file_key, lookup, parse_index, sport_of

ENGLISH = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance\n"
    '1234567890,"Jun 1, 2024, 7:00:00 AM",Morning Trail,Trail Run,"two\nlines",3600,12.5,170,'
    "80,false,,,activities/1234567890.fit.gz,70,,3600,3500,12500\n"
    '1234567891,"Jun 2, 2024, 7:00:00 AM",Recovery jog,Run,,1800,5.0,150,20,false,,,'
    "activities/1234567891.gpx,70,,1800,1700,5000\n"
)
GERMAN = (
    "Aktivitäts-ID,Datum der Aktivität,Name der Aktivität,Aktivitätsart,"
    "Beschreibung der Aktivität,Verstrichene Zeit,Distanz,Dateiname\n"
    "42,2024-06-01,Gipfelsturm,Wanderung,,3600,10,activities/42.fit.gz\n"
)
FRENCH = (
    "ID de l'activité,Date de l'activité,Nom de l'activité,Type d'activité,"
    "Description de l'activité,Nom du fichier\n"
    "7,2024-06-01,Sortie du matin,Course à pied,,activities/7.gpx.gz\n"
)
UNKNOWN_LANGUAGE = (
    "活动ID,活动日期,活动名称,活动类型,说明,X,Y\n"
    "99,2024-06-01,山路,Trail Run,,1,activities/99.fit.gz\n"
)


def test_the_english_export_gives_names_and_types_by_file_and_by_id() -> None:
    hints = parse_index(ENGLISH.encode())
    hint = lookup(hints, "activities/1234567890.fit.gz")
    assert hint is not None
    assert (hint.name, hint.type, hint.sport) == ("Morning Trail", "Trail Run", "trail_run")
    by_id = lookup(hints, "somewhere/else/1234567891.gpx")
    assert by_id is not None and by_id.name == "Recovery jog" and by_id.sport == "run"


def test_a_german_header_with_a_byte_order_mark_is_understood() -> None:
    hints = parse_index(b"\xef\xbb\xbf" + GERMAN.encode())
    hint = lookup(hints, "activities/42.fit.gz")
    assert hint is not None and (hint.name, hint.sport) == ("Gipfelsturm", "hike")


def test_a_french_header_is_understood_and_a_gunzipped_file_still_matches() -> None:
    hint = lookup(parse_index(FRENCH.encode()), "activities/7.gpx")
    assert hint is not None and (hint.name, hint.sport) == ("Sortie du matin", "run")


def test_an_unknown_language_falls_back_to_column_positions_and_file_name_values() -> None:
    hint = lookup(parse_index(UNKNOWN_LANGUAGE.encode()), "activities/99.fit.gz")
    assert hint is not None and (hint.name, hint.sport) == ("山路", "trail_run")


def test_an_unknown_activity_type_gives_no_sport() -> None:
    assert sport_of("Kitesurf") is None
    assert sport_of("Trail Run") == "trail_run"
    assert sport_of("Randonnée") == "hike"


def test_a_file_key_ignores_case_and_the_gz_ending() -> None:
    assert file_key("Activities/1.FIT.gz") == file_key("activities/1.fit")


@given(st.binary(max_size=2000))
def test_any_bytes_give_hints_or_nothing_but_never_an_error(data: bytes) -> None:
    assert isinstance(parse_index(data), dict)
