"""Ladder's CSV: one row per service; bad cells named by pointer; written back the same."""

from __future__ import annotations

from services.matcher.csv_format import COLUMNS, read_csv, write_csv
from services.matcher.feed import Known
from services.matcher.postcodes import NoPostcodeFile
from services.matcher.records import bundles_from
from services.matcher.vocabulary import vocabulary
from tests.unit.matcher.conftest import records_of

HEADER = ("organization_id,organization_name,governing_body_percent,self_declared_user_led,service_id,"
          "service_name,latitude,longitude,postcode,service_area,lived_experience,involvement,access,languages")
CSV = HEADER + """
csv-org-1,Carers Together,100,yes,csv-svc-1,Carers panel,53.48,-2.24,M1,radius:30,carers,\
reference-group;consultation,step-free,en;cy
csv-org-1,Carers Together,100,yes,csv-svc-2,Young carers voice,53.48,-2.24,,,carers;young-people,\
peer-research,,
csv-org-2,Survivors Network,sixty,yes,csv-svc-3,Design group,53.5,-2.3,,,mental-health,,,
csv-org-3,Access Auditors,80,,csv-svc-4,Audits,91,-2.3,,national,telepathy,,,
csv-org-4,Deaf Forum,,yes,,,51.5,-0.1,,,sensory-impairment,access-audit,bsl,
"""


def plan_for(text: str):
    return read_csv(text, vocabulary()).resolve(Known(), vocabulary(), NoPostcodeFile())


def test_rows_become_records_and_bad_cells_are_named():
    plan = plan_for(CSV)
    found = {p.pointer: p.reason for p in plan.problems}
    assert found["/rows/2/governing_body_percent"] == "'sixty' is not a percentage from 0 to 100"
    assert found["/rows/3/lived_experience"].startswith("unknown term 'telepathy'; known: disabled-people")
    assert "less than or equal to 90" in found["/rows/3/latitude"]
    records = records_of(plan)
    assert {o.id for o in records["organizations"]} == {"csv-org-1", "csv-org-3", "csv-org-4"}
    assert {s.id for s in records["services"]} == {"csv-svc-1", "csv-svc-2"}
    first = next(s for s in records["services"] if s.id == "csv-svc-1")
    assert first.languages == ("en", "cy") and first.location_ids == ("csv-svc-1/location",)
    area = records["service_areas"][0]
    assert (area.service_id, area.extent_type) == ("csv-svc-1", "geojson")
    deaf_forum = [a for a in records["attributes"] if a.link_id == "csv-org-4"]
    assert {a.taxonomy_term_id for a in deaf_forum} == {
        "ladder-lived-experience:sensory-impairment", "ladder-involvement:access-audit", "ladder-access:bsl"}


def test_a_csv_without_the_required_columns_is_one_problem():
    plan = plan_for("name,city\nA,B\n")
    assert [(p.pointer, p.reason) for p in plan.problems] == [
        ("/header", "missing columns: organization_id, organization_name (the first row names the columns)")]


def test_what_is_read_from_csv_is_written_back_the_same():
    good = "\n".join(line for line in CSV.splitlines() if "csv-org-2" not in line and "csv-org-3" not in line)
    written = write_csv(bundles_from(records_of(plan_for(good))), vocabulary())
    assert written.splitlines()[0] == ",".join(COLUMNS)
    again = write_csv(bundles_from(records_of(plan_for(written))), vocabulary())
    assert again == written
    by_id = lambda records: {kind: sorted(items, key=lambda r: r.id) for kind, items in records.items()}  # noqa: E731
    assert by_id(records_of(plan_for(written))) == by_id(records_of(plan_for(good)))
