"""Conversions for the matcher."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2
from ladder.v1 import common_pb2, matcher_pb2

USER_LED = {
    "user-led": matcher_pb2.USER_LED_STATUS_USER_LED,
    "probably-user-led": matcher_pb2.USER_LED_STATUS_PROBABLY_USER_LED,
    "not-user-led": matcher_pb2.USER_LED_STATUS_NOT_USER_LED,
}
LISTS = ("lived_experience", "involvement", "languages", "access_needs")


def match_request(message: matcher_pb2.MatchRequest) -> dict[str, Any]:
    request: dict[str, Any] = {}
    if message.HasField("location"):
        request["location"] = {
            "latitude": message.location.latitude,
            "longitude": message.location.longitude,
        }
    if message.HasField("postcode"):
        request["postcode"] = message.postcode
    if message.HasField("radius_km"):
        request["radius_km"] = message.radius_km
    if message.HasField("limit"):
        request["limit"] = message.limit
    for name in LISTS:
        if getattr(message, name):
            request[name] = list(getattr(message, name))
    if message.include_allies:
        request["include_allies"] = True
    return request


def match_response(response: dict[str, Any]) -> matcher_pb2.MatchResponse:
    origin = response["origin"]
    return matcher_pb2.MatchResponse(
        matches=[_group_match(m) for m in response["matches"]],
        origin=matcher_pb2.Origin(
            location=common_pb2.Location(**origin["location"]),
            postcode=origin.get("postcode") or "",
            resolved_from=origin["resolved_from"],
        ),
        notices=response.get("notices", []),
    )


def _group_match(m: dict[str, Any]) -> matcher_pb2.GroupMatch:
    group, service = m["group"], m.get("service")
    return matcher_pb2.GroupMatch(
        group=matcher_pb2.Group(
            id=group["id"],
            name=group["name"],
            description=group["description"],
            website=group.get("website") or "",
            email=group.get("email") or "",
            location=common_pb2.Location(**group["location"]),
            user_led=user_led(group["user_led"]),
            lived_experience=group["lived_experience"],
            involvement=group["involvement"],
            languages=group["languages"],
            access=group["access"],
            fictional=group["fictional"],
        ),
        service=matcher_pb2.MatchedService(**service) if service else None,
        distance_km=m["distance_km"],
        score=m["score"],
        reasons=m["reasons"],
        factors=[matcher_pb2.ScoreFactor(**f) for f in m["factors"]],
    )


def user_led(value: dict[str, Any]) -> matcher_pb2.UserLed:
    return matcher_pb2.UserLed(status=USER_LED[value["status"]], reasons=value["reasons"])


def put_organization_request(message: matcher_pb2.PutOrganizationRequest) -> dict[str, Any]:
    return {"id": message.id, "organization": _from_struct(message.organization)}


def put_organization_response(response: dict[str, Any]) -> matcher_pb2.PutOrganizationResponse:
    return matcher_pb2.PutOrganizationResponse(
        result=response["result"],
        organization=_struct(response["organization"]),
        user_led=user_led(response["user_led"]),
        warnings=[matcher_pb2.DirectoryProblem(**w) for w in response["warnings"]],
    )


def delete_organization_request(message: matcher_pb2.DeleteOrganizationRequest) -> dict[str, Any]:
    return {"id": message.id}


def delete_organization_response(response: dict[str, Any]) -> matcher_pb2.DeleteOrganizationResponse:
    return matcher_pb2.DeleteOrganizationResponse(id=response["id"])


def import_directory_request(message: matcher_pb2.ImportDirectoryRequest) -> dict[str, Any]:
    which = message.WhichOneof("feed")
    if which == "csv":
        return {"format": "csv", "content": message.csv}
    if which == "hsds":
        return {"format": "hsds", "feed": _from_struct(message.hsds)}
    return {"format": "hsds"}  # no feed: refused, naming the field


def import_directory_response(response: dict[str, Any]) -> matcher_pb2.ImportDirectoryResponse:
    return matcher_pb2.ImportDirectoryResponse(
        created=response["created"],
        updated=response["updated"],
        unchanged=response["unchanged"],
        rejected=response["rejected"],
        by_kind={kind: matcher_pb2.ImportCounts(**counts) for kind, counts in response["by_kind"].items()},
        problems=[matcher_pb2.DirectoryProblem(**p) for p in response["problems"]],
        warnings=[matcher_pb2.DirectoryProblem(**w) for w in response["warnings"]],
    )


def export_directory_request(message: matcher_pb2.ExportDirectoryRequest) -> dict[str, Any]:
    return {"format": "csv" if message.format == matcher_pb2.DIRECTORY_FORMAT_CSV else "hsds"}


def export_directory_response(response: dict[str, Any]) -> matcher_pb2.ExportDirectoryResponse:
    if response["format"] == "csv":
        return matcher_pb2.ExportDirectoryResponse(csv=response["csv"])
    return matcher_pb2.ExportDirectoryResponse(hsds=_struct(response["hsds"]))


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(value)
    return struct


def _from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)
