"""The deploy checks: the chart passes them, and each rule catches what it is for.

The checks live in deploy/checks as scripts, not a package, so they are imported by path.
Rendering goes through helm-python-sdk (no helm binary); the whole file runs in seconds.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parents[3] / "deploy" / "checks"
sys.path.insert(0, str(CHECKS))

import deploy_check  # noqa: E402
import dockerfile_check  # noqa: E402


@pytest.fixture(scope="module")
def default_objects():
    return deploy_check.render()


def deployment(objects, name):
    return next(o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == name)


# ---------------------------------------------------------------- the chart passes


@pytest.mark.parametrize("scenario", sorted(deploy_check.SCENARIOS))
def test_every_scenario_lints_validates_and_passes_policy(scenario):
    assert deploy_check.check_scenario(deploy_check.SCENARIOS[scenario]) == []


def test_default_render_has_a_deployment_per_workload(default_objects):
    names = {o["metadata"]["name"] for o in default_objects if o["kind"] == "Deployment"}
    assert names == {"ladder-gateway", "ladder-classifier", "ladder-recommender", "ladder-matcher"}


def test_gateway_uses_a_native_grpc_readiness_probe(default_objects):
    container = deployment(default_objects, "ladder-gateway")["spec"]["template"]["spec"][
        "containers"
    ][0]
    assert container["readinessProbe"]["grpc"]["port"] == 50051


def test_production_lets_the_hpa_own_the_replica_count():
    objects = deploy_check.render(deploy_check.load_values(deploy_check.SCENARIOS["production"]))
    assert "replicas" not in deployment(objects, "ladder-gateway")["spec"]
    assert any(o["kind"] == "HorizontalPodAutoscaler" for o in objects)


# ---------------------------------------------------------------- each rule can fail


@pytest.mark.parametrize(
    ("values", "container", "probe"),
    [
        ({"roles": {"service": {"probes": {"readiness": None}}}}, "matcher", "readinessProbe"),
        ({"roles": {"gateway": {"probes": {"liveness": None}}}}, "gateway", "livenessProbe"),
    ],
)
def test_a_removed_probe_is_reported_with_container_and_probe(values, container, probe):
    # null in values deletes the default, exactly as `helm --set ...=null` would.
    violations = deploy_check.check_policy(deploy_check.render(values))
    assert f"Deployment/ladder-{container} container {container}: missing {probe}" in violations


def test_a_missing_memory_limit_is_reported():
    values = {"services": {"classifier": {"resources": {"limits": {"memory": None}}}}}
    violations = deploy_check.check_policy(deploy_check.render(values))
    assert violations == [
        "Deployment/ladder-classifier container classifier: missing memory limit "
        "(resources.limits.memory)"
    ]


def test_a_deployment_without_a_pdb_is_reported():
    values = {"services": {"recommender": {"pdb": {"enabled": False}}}}
    violations = deploy_check.check_policy(deploy_check.render(values))
    assert violations == ["Deployment/ladder-recommender: no PodDisruptionBudget selects its pods"]


def test_a_pdb_selecting_other_pods_does_not_count(default_objects):
    objects = copy.deepcopy(default_objects)
    for obj in objects:
        if obj["kind"] == "PodDisruptionBudget" and obj["metadata"]["name"] == "ladder-matcher":
            obj["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] = "other"
    assert deploy_check.check_pdbs(objects) == [
        "Deployment/ladder-matcher: no PodDisruptionBudget selects its pods"
    ]


def test_disabling_network_policies_is_reported():
    violations = deploy_check.check_policy(
        deploy_check.render({"networkPolicy": {"enabled": False}})
    )
    assert len([v for v in violations if "no NetworkPolicy selects its pods" in v]) == 4


def test_security_context_rules(default_objects):
    objects = copy.deepcopy(default_objects)
    spec = deployment(objects, "ladder-gateway")["spec"]["template"]["spec"]
    spec["securityContext"].pop("runAsNonRoot")
    sc = spec["containers"][0]["securityContext"]
    sc.pop("runAsNonRoot")
    sc["readOnlyRootFilesystem"] = False
    sc["capabilities"] = {"drop": ["NET_RAW"]}
    where = "Deployment/ladder-gateway container gateway"
    assert deploy_check.check_containers(objects) == [
        f"{where}: runAsNonRoot is not true (pod or container)",
        f"{where}: readOnlyRootFilesystem is not true",
        f"{where}: capabilities do not drop ALL",
    ]


def test_init_containers_are_checked_too(default_objects):
    objects = copy.deepcopy(default_objects)
    spec = deployment(objects, "ladder-matcher")["spec"]["template"]["spec"]
    spec["initContainers"] = [{"name": "wait", "image": "busybox"}]
    violations = deploy_check.check_containers(objects)
    assert (
        "Deployment/ladder-matcher init container wait: missing cpu request "
        "(resources.requests.cpu)" in violations
    )
    # An ordinary init container may not have probes, so none are demanded of it.
    assert not [v for v in violations if "wait: missing readinessProbe" in v]


def test_gateway_service_needs_a_port_named_grpc(default_objects):
    objects = copy.deepcopy(default_objects)
    service = next(
        o for o in objects if o["kind"] == "Service" and o["metadata"]["name"] == "ladder-gateway"
    )
    for port in service["spec"]["ports"]:
        if port["name"] == "grpc":
            port["name"] = "rpc"
    assert deploy_check.check_gateway_ports(objects) == [
        "Service/ladder-gateway: no port named grpc"
    ]


def test_strict_schema_validation_rejects_an_unknown_field(default_objects):
    bad = copy.deepcopy(deployment(default_objects, "ladder-gateway"))
    bad["spec"]["replica"] = 2  # misspelt replicas: only strict mode notices
    problems = deploy_check.validate_schemas([bad], ["1.29"])
    assert len(problems) == 1 and "'replica' was unexpected" in problems[0]


def test_custom_resources_are_shape_checked():
    scaled = {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": "x"},
        "spec": {"scaleTargetRef": {"name": "missing"}},
    }
    assert deploy_check.check_custom_resources([scaled]) == [
        "ScaledObject/x: missing spec.triggers",
        "ScaledObject/x: scaleTargetRef 'missing' is not a rendered Deployment",
    ]


def test_label_selector_semantics():
    labels = {"app": "ladder", "tier": "api"}
    assert deploy_check.selects({}, labels)
    assert deploy_check.selects({"matchLabels": {"app": "ladder"}}, labels)
    assert not deploy_check.selects({"matchLabels": {"app": "other"}}, labels)
    assert deploy_check.selects(
        {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["api", "x"]}]}, labels
    )
    assert not deploy_check.selects(
        {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, labels
    )


# ---------------------------------------------------------------- the Dockerfile check


def test_the_repository_dockerfile_passes():
    assert dockerfile_check.check_dockerfile(dockerfile_check.DEFAULT_DOCKERFILE.read_text()) == []


def test_root_user_and_latest_tag_are_reported():
    good = dockerfile_check.DEFAULT_DOCKERFILE.read_text()
    assert "USER 10001:10001" in good and "FROM python:3.11.14-slim-bookworm AS runtime" in good
    bad = good.replace("USER 10001:10001", "USER root").replace(
        "FROM python:3.11.14-slim-bookworm AS runtime", "FROM python:latest AS runtime"
    )
    problems = dockerfile_check.check_dockerfile(bad)
    assert len(problems) == 2
    assert "uses the tag latest" in problems[0]
    assert "final USER is root" in problems[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM python:3.11.14-slim\nUSER 10001\n", "not multi-stage"),
        ("FROM python AS a\nFROM a\nUSER 1\n", "has no tag"),
        ("FROM python:3.11-slim AS a\nFROM a\nUSER 1\n", "not an exact version"),
        ("FROM python:3.11.14 AS a\nFROM a\n", "final stage has no USER"),
        ("FROM python:3.11.14 AS a\nFROM a\nUSER app\n", "is not numeric"),
        ("FROM python:3.11.14 AS a\nFROM a\nADD https://x.org/f /f\nUSER 1\n", "ADD of a URL"),
        (
            "FROM python:3.11.14 AS a\nFROM a\nRUN python -m grpc_tools.protoc x\nUSER 1\n",
            "generated in the final stage",
        ),
        ("FROM python:3.11.14 AS a\nFROM a\nUSER 1\nCMD python -m gateway\n", "shell form"),
    ],
)
def test_each_dockerfile_rule_can_fail(text, expected):
    assert any(expected in p for p in dockerfile_check.check_dockerfile(text))


# ---------------------------------------------------------------- probes and metrics


def test_services_probe_their_health_endpoints_on_the_port_the_app_serves(default_objects):
    container = deployment(default_objects, "ladder-matcher")["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    port = next(p["containerPort"] for p in container["ports"] if p["name"] == "http")
    config = next(o for o in default_objects if o["kind"] == "ConfigMap")
    assert config["data"]["LADDER_SERVICE_HTTP_PORT"] == str(port) == "8000"


def test_a_probe_on_a_port_the_container_lacks_is_reported():
    values = {"roles": {"service": {"probes": {"readiness": {"httpGet": {"path": "/readyz",
                                                                          "port": "health"}}}}}}
    violations = deploy_check.check_policy(deploy_check.render(values))
    assert "Deployment/ladder-classifier container classifier: readinessProbe port 'health' " \
        "is not a port of the container" in violations


def test_a_grpc_probe_on_another_port_number_is_reported():
    values = {"roles": {"gateway": {"ports": {"grpc": 50052}}}}
    assert deploy_check.check_probe_ports(deploy_check.render(values)) == [
        "Deployment/ladder-gateway container gateway: readinessProbe port 50051 is not a port "
        "of the container"
    ]


def service_monitors(values):
    return deploy_check.render(deploy_check.deep_merge({"metrics": {"serviceMonitor": {"enabled": True}}},
                                                       values))


def test_service_monitors_scrape_every_workload_on_its_http_port():
    objects = service_monitors({})
    monitors = [o for o in objects if o["kind"] == "ServiceMonitor"]
    assert {m["metadata"]["name"] for m in monitors} == {
        "ladder-gateway", "ladder-classifier", "ladder-recommender", "ladder-matcher"}
    assert all(m["spec"]["endpoints"][0] == {"port": "http", "path": "/metrics", "interval": "30s",
                                             "scrapeTimeout": "10s"} for m in monitors)
    assert deploy_check.check_custom_resources(objects) == []


def test_a_service_monitor_on_a_port_no_service_has_is_reported():
    objects = service_monitors({})
    monitor = next(o for o in objects if o["kind"] == "ServiceMonitor"
                   and o["metadata"]["name"] == "ladder-matcher")
    monitor["spec"]["endpoints"][0]["port"] = "metrics"
    assert deploy_check.check_custom_resources(objects) == [
        "ServiceMonitor/ladder-matcher: endpoint port 'metrics' is not a port of the Services it "
        "selects (http)"
    ]


def test_a_scrape_timeout_longer_than_the_interval_is_reported():
    objects = service_monitors({"metrics": {"serviceMonitor": {"interval": "15s", "scrapeTimeout": "1m"}}})
    problems = deploy_check.check_custom_resources(objects)
    assert len(problems) == 4
    assert all("scrapeTimeout 1m is longer than the interval 15s" in p for p in problems)


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("1m", 60), ("1m30s", 90), ("500ms", 0.5)])
def test_prometheus_durations(text, seconds):
    assert deploy_check.duration_seconds(text) == seconds


def test_scrape_annotations_are_optional(default_objects):
    annotations = deployment(default_objects, "ladder-gateway")["spec"]["template"]["metadata"]["annotations"]
    assert "prometheus.io/scrape" not in annotations
    objects = deploy_check.render({"metrics": {"scrapeAnnotations": True}})
    annotated = deployment(objects, "ladder-classifier")["spec"]["template"]["metadata"]["annotations"]
    assert annotated["prometheus.io/port"] == "8000" and annotated["prometheus.io/path"] == "/metrics"
