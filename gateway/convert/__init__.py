"""Between protobuf messages and the JSON shapes of the services' schemas, one module per
service.

Explicit, field by field: the wire names differ (RUNG_CO_DESIGN on gRPC, "co-design" in
JSON), and proto3 cannot tell an empty field from an unset one, so each rule is stated.
Values that cannot be converted are passed on as they are, for validation to name.
"""
