"""The chart wires the product's settings: gateway credentials (API keys, demo key, JWTs),
the database for the workloads that store data, and the matcher's postcode file.

Rendering goes through helm-python-sdk, as in test_deploy_check.py; the rendered
environment is checked against the product's own Settings, so a misspelt or missing
variable fails here rather than in a crash-looping pod.
"""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

import helm_python
import pytest

from gateway.auth import KeyRing, load_public_keys
from services.common.settings import Settings

CHECKS = Path(__file__).resolve().parents[3] / "deploy" / "checks"
sys.path.insert(0, str(CHECKS))

import deploy_check  # noqa: E402

GATEWAY_WHERE = "Deployment/ladder-gateway container gateway"


def render(values: dict | None = None, scenario: str | None = None):
    base = deploy_check.load_values(deploy_check.SCENARIOS[scenario]) if scenario else {}
    return deploy_check.render(deploy_check.deep_merge(base, values or {}))


def named(objects, kind, name):
    return next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)


def deployment(objects, name):
    return next(o for o in objects
                if o["kind"] == "Deployment" and o["metadata"]["name"] == f"ladder-{name}")


def pod(objects, name):
    return deployment(objects, name)["spec"]["template"]["spec"]


def env_of(objects, name) -> dict[str, dict]:
    return {e["name"]: e for e in pod(objects, name)["containers"][0].get("env", [])}


def egress_ports(objects, name) -> set[int]:
    policy = next(o for o in objects
                  if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == f"ladder-{name}")
    return {p["port"] for rule in policy["spec"]["egress"] for p in rule.get("ports", [])}


def render_error(values: dict) -> str:
    with pytest.raises(helm_python.HelmError) as caught:
        deploy_check.render(values)
    return str(caught.value)


# ---------------------------------------------------------------- the rendered settings are the product's


@pytest.mark.parametrize("scenario", sorted(deploy_check.SCENARIOS))
def test_every_workload_environment_is_accepted_by_the_products_settings(scenario, monkeypatch):
    """Each container's environment (ConfigMap plus env, secrets given sample values) loads
    into Settings, and every LADDER_ name the chart sets is a setting the product reads."""
    objects = render(scenario=scenario)
    config = next(o for o in objects
                  if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "ladder-config")
    fields = {f"LADDER_{name.upper()}" for name in Settings.model_fields} | {"AMQP_URI"}
    samples = {"AMQP_URI": "amqp://u:p@rabbitmq:5672/", "LADDER_DATABASE_URL": "postgresql://u:p@pg:5432/ladder",
               "LADDER_DEMO_KEY": "ldr_x"}
    values = deploy_check.load_values(deploy_check.SCENARIOS[scenario])
    extra = set(values.get("config", {}).get("extraEnv", {}))  # the operator's own variables
    for name in ("gateway", "classifier", "recommender", "matcher"):
        environment = dict(config["data"])
        for var in pod(objects, name)["containers"][0]["env"]:
            environment[var["name"]] = var.get("value") or samples.get(var["name"], "sample")
        for part in ("RABBITMQ_USERNAME", "RABBITMQ_PASSWORD"):  # only $(...) inside AMQP_URI
            environment.pop(part, None)
        unknown = {k for k in environment if k not in fields} - extra
        assert not unknown, f"{scenario}/{name}: the product reads no {sorted(unknown)}"
        for key in [k for k in os.environ if k.startswith("LADDER_") or k == "AMQP_URI"]:
            monkeypatch.delenv(key)
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        Settings()  # raises on a value or a combination the product refuses


def test_the_operator_guide_names_every_setting():
    guide = (CHECKS.parent / "README.md").read_text()
    names = [f"LADDER_{name.upper()}" for name in Settings.model_fields if name != "amqp_uri"]
    assert [name for name in names if f"`{name}" not in guide] == []


# ---------------------------------------------------------------- gateway credentials


def test_the_keys_file_is_the_gateways_own_read_only_secret():
    objects = render(scenario="all-features")
    env = env_of(objects, "gateway")
    assert env["LADDER_API_KEYS_FILE"]["value"] == "/etc/ladder/api-keys/api-keys.json"
    assert env["LADDER_DEMO_KEY"]["valueFrom"]["secretKeyRef"] == {
        "name": "ladder-gateway-auth", "key": "LADDER_DEMO_KEY", "optional": True}
    volume = next(v for v in pod(objects, "gateway")["volumes"] if v["name"] == "api-keys")
    assert volume["secret"]["secretName"] == "ladder-gateway-auth"
    assert volume["secret"]["defaultMode"] == 0o440
    for name in ("classifier", "recommender", "matcher"):
        gateway_only = {"LADDER_API_KEYS_FILE", "LADDER_DEMO_KEY", "LADDER_JWT_ISSUER"}
        assert not set(env_of(objects, name)) & gateway_only
    secret = next(o for o in objects
                  if o["kind"] == "Secret" and o["metadata"]["name"] == "ladder-gateway-auth")
    assert '"sha256"' in secret["stringData"]["api-keys.json"]


def test_the_rendered_keys_file_and_jwt_keys_load_in_the_gateway(tmp_path):
    """What the chart puts in the gateway's Secret and JWT ConfigMap is what the gateway's
    own loaders accept; the demo key in the Secret is one of the keys in the file."""
    objects = render(scenario="all-features")
    secret = named(objects, "Secret", "ladder-gateway-auth")
    keys_file = tmp_path / "api-keys.json"
    keys_file.write_text(secret["stringData"]["api-keys.json"])
    ring = KeyRing.load(keys_file)
    assert len(ring) == 2
    demo = ring.authenticate(secret["stringData"]["LADDER_DEMO_KEY"])
    assert demo.publishable and demo.organisation_id == "ci-example"
    jwt_keys = named(objects, "ConfigMap", "ladder-jwt")
    pem = tmp_path / "public-keys.pem"
    pem.write_text(jwt_keys["data"]["public-keys.pem"])
    assert len(load_public_keys(pem)) == 1


def test_an_existing_auth_secret_is_used_and_not_created():
    objects = render({"auth": {"existingSecret": "my-keys", "keys": {"apiKeysFile": "keys.json"}}})
    assert not any(o["kind"] == "Secret" and o["metadata"]["name"] == "ladder-gateway-auth"
                   for o in objects)
    volume = next(v for v in pod(objects, "gateway")["volumes"] if v["name"] == "api-keys")
    assert volume["secret"]["secretName"] == "my-keys"
    assert env_of(objects, "gateway")["LADDER_API_KEYS_FILE"]["value"] == "/etc/ladder/api-keys/keys.json"
    assert deploy_check.check_gateway_credentials(objects) == []


def test_a_keys_file_that_is_not_the_tools_json_is_refused():
    assert "auth.apiKeysFile must be the JSON" in render_error({"auth": {"apiKeysFile": "ldr_abc_secret"}})


def test_the_keys_secret_mounted_read_write_is_reported():
    objects = render()
    mounts = pod(objects, "gateway")["containers"][0]["volumeMounts"]
    mount = next(m for m in mounts if m["name"] == "api-keys")
    mount["readOnly"] = False
    assert deploy_check.check_gateway_credentials(objects) == [
        f"{GATEWAY_WHERE}: the API keys volume api-keys is not mounted readOnly"]


def test_a_gateway_without_a_keys_file_is_reported():
    objects = render()
    container = pod(objects, "gateway")["containers"][0]
    container["env"] = [e for e in container["env"] if e["name"] != "LADDER_API_KEYS_FILE"]
    assert deploy_check.check_gateway_credentials(objects) == [
        f"{GATEWAY_WHERE}: LADDER_API_KEYS_FILE is not set"]


def test_a_keys_file_from_a_configmap_is_reported():
    objects = render()
    volume = next(v for v in pod(objects, "gateway")["volumes"] if v["name"] == "api-keys")
    volume.pop("secret")
    volume["configMap"] = {"name": "keys"}
    assert deploy_check.check_gateway_credentials(objects) == [
        f"{GATEWAY_WHERE}: the API keys file does not come from a Secret volume"]


def test_services_that_get_the_gateways_credentials_are_reported():
    objects = render()
    matcher = pod(objects, "matcher")
    matcher["volumes"].append({"name": "keys", "secret": {"secretName": "ladder-gateway-auth"}})
    classifier = pod(objects, "classifier")["containers"][0]
    classifier["env"].append({"name": "DEMO", "valueFrom": {"secretKeyRef": {
        "name": "ladder-gateway-auth", "key": "LADDER_DEMO_KEY"}}})
    recommender = pod(objects, "recommender")["containers"][0]
    recommender["env"].append({"name": "LADDER_API_KEYS_FILE", "value": "/x"})
    recommender["envFrom"].append({"secretRef": {"name": "ladder-gateway-auth"}})
    assert sorted(deploy_check.check_gateway_credentials(objects)) == [
        "Deployment/ladder-classifier container classifier: DEMO reads the gateway's credentials",
        "Deployment/ladder-matcher: volume keys mounts the gateway's credentials",
        "Deployment/ladder-recommender container recommender: envFrom reads the gateway's "
        "credentials Secret ladder-gateway-auth",
        "Deployment/ladder-recommender container recommender: sets LADDER_API_KEYS_FILE, which "
        "only the gateway may have",
    ]


def test_one_secret_for_everything_is_fine_while_services_read_only_their_own_keys():
    shared = {"secrets": {"existingSecret": "ladder"}, "auth": {"existingSecret": "ladder"}}
    objects = render(shared)
    assert deploy_check.check_gateway_credentials(objects) == []
    pod(objects, "matcher")["volumes"].append({"name": "all", "secret": {"secretName": "ladder"}})
    assert deploy_check.check_gateway_credentials(objects) == [
        "Deployment/ladder-matcher: volume all mounts the gateway's credentials"]


def test_jwt_settings_reach_the_gateway_with_keys_from_an_existing_secret():
    objects = render({"auth": {"jwt": {"issuer": "https://idp.example.org/", "audience": "ladder",
                                       "publicKeys": {"existingSecret": "idp-keys", "key": "jwks.json"}}}})
    env = env_of(objects, "gateway")
    assert env["LADDER_JWT_PUBLIC_KEYS_FILE"]["value"] == "/etc/ladder/jwt/jwks.json"
    assert env["LADDER_JWT_ORGANISATION_CLAIM"]["value"] == "org"
    volume = next(v for v in pod(objects, "gateway")["volumes"] if v["name"] == "jwt-public-keys")
    assert volume["secret"] == {"secretName": "idp-keys",
                                "items": [{"key": "jwks.json", "path": "jwks.json"}]}
    assert not any(o["kind"] == "ConfigMap" and o["metadata"]["name"] == "ladder-jwt" for o in objects)


@pytest.mark.parametrize(("jwt", "message"), [
    ({"issuer": "https://idp.example.org/", "audience": "ladder"}, "JWT settings are all or nothing"),
    ({"publicKeys": {"existingConfigMap": "a"}}, "only auth.jwt.publicKeys given"),
    ({"issuer": "i", "audience": "a", "publicKeys": {"existingConfigMap": "a", "content": "pem"}},
     "give the JWT public keys once"),
])
def test_partial_jwt_settings_are_refused(jwt, message):
    assert message in render_error({"auth": {"jwt": jwt}})


@pytest.mark.parametrize(("values", "message"), [
    ({"config": {"jwt": {"issuer": "x"}}}, "config.jwt moved to auth.jwt"),
    ({"secrets": {"apiKeys": "{}"}}, "the API keys file moved to its own Secret"),
])
def test_values_of_the_previous_chart_layout_are_refused_not_ignored(values, message):
    assert message in render_error(values)


# ---------------------------------------------------------------- databases


def test_only_the_classifier_and_the_matcher_get_and_reach_the_database():
    objects = render()
    for name in ("classifier", "matcher"):
        assert env_of(objects, name)["LADDER_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
            "name": "ladder-secrets", "key": "LADDER_DATABASE_URL"}
        assert 5432 in egress_ports(objects, name)
    for name in ("recommender", "gateway"):
        assert "LADDER_DATABASE_URL" not in env_of(objects, name)
        assert 5432 not in egress_ports(objects, name)


@pytest.mark.parametrize("scaling", [
    {"services": {"matcher": {"replicas": 2}}},
    {"services": {"classifier": {"autoscaling": {"enabled": True}}}},
    {"keda": {"enabled": True}},
])
def test_sqlite_with_more_than_one_pod_is_refused(scaling):
    values = deploy_check.deep_merge({"secrets": {"databaseUrl": "sqlite:////tmp/ladder.sqlite3"}}, scaling)
    assert "each would keep its own file" in render_error(values)


def test_sqlite_outside_tmp_is_refused_and_one_pod_under_tmp_renders_with_a_warning():
    relative = {"secrets": {"databaseUrl": "sqlite:///var/ladder.sqlite3"}}
    assert "can only live under /tmp" in render_error(relative)
    values = {"secrets": {"databaseUrl": "sqlite:////tmp/ladder.sqlite3"}}
    assert deployment(deploy_check.render(values), "matcher")
    with helm_python.Chart.load(deploy_check.CHART) as chart:
        notes = chart.render(values, name="ladder", namespace="ladder")["ladder/templates/NOTES.txt"]
    assert "LOST whenever the pod restarts" in notes


def test_an_operator_database_is_read_from_its_app_secret():
    objects = render(scenario="all-features")
    assert env_of(objects, "matcher")["LADDER_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "ladder-postgresql-app", "key": "uri"}


# ---------------------------------------------------------------- the matcher's postcode file


def test_a_postcode_claim_is_mounted_read_only_in_the_matcher_only():
    objects = render({"postcodes": {"existingClaim": "onspd", "fileName": "ONSPD.csv"}})
    assert env_of(objects, "matcher")["LADDER_POSTCODE_FILE"]["value"] == "/etc/ladder/postcodes/ONSPD.csv"
    volume = next(v for v in pod(objects, "matcher")["volumes"] if v["name"] == "postcodes")
    assert volume["persistentVolumeClaim"] == {"claimName": "onspd", "readOnly": True}
    assert "LADDER_POSTCODE_FILE" not in env_of(objects, "classifier")


def test_a_postcode_file_in_the_image_is_named_and_nothing_mounted():
    objects = render({"postcodes": {"imagePath": "/app/data/ONSPD.csv"}})
    assert env_of(objects, "matcher")["LADDER_POSTCODE_FILE"]["value"] == "/app/data/ONSPD.csv"
    assert not any(v["name"] == "postcodes" for v in pod(objects, "matcher")["volumes"])


def test_no_postcode_file_leaves_the_setting_unset():
    assert "LADDER_POSTCODE_FILE" not in env_of(render(), "matcher")


@pytest.mark.parametrize(("postcodes", "message"), [
    ({"existingClaim": "a", "imagePath": "/b.csv"},
     "postcodes.existingClaim, postcodes.imagePath are all set"),
    ({"imagePath": "data/b.csv"}, "must be an absolute path"),
])
def test_bad_postcode_sources_are_refused(postcodes, message):
    assert message in render_error({"postcodes": postcodes})


def test_the_demo_directory_is_off_unless_asked_for():
    config = next(o for o in render() if o["kind"] == "ConfigMap")
    assert config["data"]["LADDER_DEMO_DIRECTORY"] == "false"
    production = next(o for o in render(scenario="production") if o["kind"] == "ConfigMap")
    assert production["data"]["LADDER_DEMO_DIRECTORY"] == "false"


def test_changing_the_gateways_keys_rolls_the_gateway_only():
    before = render({"auth": {"apiKeysFile": '{"keys": []}'}})
    after = render({"auth": {"apiKeysFile": '{"keys": [], "note": "rotated"}'}})

    def annotations(objects, name):
        return copy.deepcopy(deployment(objects, name)["spec"]["template"]["metadata"]["annotations"])

    assert annotations(before, "gateway") != annotations(after, "gateway")
    for name in ("classifier", "recommender", "matcher"):
        assert annotations(before, name) == annotations(after, name)
