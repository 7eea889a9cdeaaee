"""Render, validate and police the Ladder Helm chart, and check the Dockerfile.

    python deploy/checks/deploy_check.py

For each scenario (chart defaults, production values, every optional feature on):
  1. helm lint (strict) and helm template, through helm-python-sdk (no helm binary);
  2. every rendered object against the Kubernetes OpenAPI schemas of 1.29 to 1.33 with
     kubernetes-validate in strict mode (unknown fields fail). Custom resources have no
     schema there and are NOT schema-validated: their required fields and references are
     checked instead (check_custom_resources; for a ServiceMonitor, that it selects a
     Service, scrapes a port that Service has, and times out within its interval), and
     the run says which objects were only shape-checked;
  3. policy: probes (aimed at ports the container declares), requests and limits,
     non-root, read-only root filesystem, dropped capabilities, a PodDisruptionBudget and
     a NetworkPolicy for every Deployment, a port named grpc on the gateway Service, and
     the gateway's credentials confined to it (check_gateway_credentials).
Then deploy/Dockerfile goes through dockerfile_check.

Exits 1 on any failure. The policy functions take parsed objects and return a list of
violations (strings), so tests can feed them hand-made objects.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dockerfile_check  # noqa: E402  (a sibling script, not a package)

DEPLOY = Path(__file__).resolve().parents[1]
CHART = DEPLOY / "helm" / "ladder"
SCENARIOS: dict[str, list[Path]] = {
    "default": [],
    "production": [DEPLOY / "helm" / "values-production.yaml"],
    "all-features": [DEPLOY / "helm" / "ci-all-features.yaml"],
}
KUBE_VERSIONS = ("1.29", "1.30", "1.31", "1.32", "1.33")
RELEASE = NAMESPACE = "ladder"
GATEWAY_COMPONENT = "gateway"

Obj = dict[str, Any]
Policy = Callable[[list[Obj]], list[str]]


# ---------------------------------------------------------------- rendering


def deep_merge(base: dict, override: dict) -> dict:
    """Merge like repeated `helm -f`: maps merge, everything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_values(files: Iterable[Path]) -> dict:
    values: dict = {}
    for path in files:
        values = deep_merge(values, yaml.safe_load(path.read_text()) or {})
    return values


def lint(values: dict | None = None) -> list[str]:
    """helm lint --strict: warnings count as failures, info (e.g. "icon is recommended") not."""
    report = helm_python.lint(CHART, values, strict=True, namespace=NAMESPACE)
    problems = [
        f"helm lint: {m['path']}: {m['error']}" for m in report["messages"] if m["severity"] >= 2
    ]
    return problems + [f"helm lint: {e}" for e in report.get("errors") or []]


def render(values: dict | None = None) -> list[Obj]:
    """helm template: every rendered object, parsed. Raises HelmError if a template fails."""
    with helm_python.Chart.load(CHART) as chart:
        manifests = chart.render(values, name=RELEASE, namespace=NAMESPACE)
    objects: list[Obj] = []
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        objects.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return objects


def ref(obj: Obj) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


# ---------------------------------------------------------------- schemas

# Custom resources of the optional operators: no schema in kubernetes-validate, so each
# gets a shape check of the fields the chart relies on (dotted paths that must exist).
CUSTOM_RESOURCES: dict[tuple[str, str], list[str]] = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): ["spec.replicas", "spec.persistence.storage"],
    ("postgresql.cnpg.io/v1", "Cluster"): [
        "spec.instances",
        "spec.storage.size",
        "spec.bootstrap.initdb.database",
    ],
    ("keda.sh/v1alpha1", "ScaledObject"): ["spec.scaleTargetRef.name", "spec.triggers"],
    ("keda.sh/v1alpha1", "TriggerAuthentication"): ["spec.secretTargetRef"],
    ("monitoring.coreos.com/v1", "ServiceMonitor"): ["spec.selector", "spec.endpoints"],
}


def is_custom(obj: Obj) -> bool:
    return (obj.get("apiVersion"), obj.get("kind")) in CUSTOM_RESOURCES


def validate_schemas(objects: list[Obj], versions: Iterable[str] = KUBE_VERSIONS) -> list[str]:
    """Strict OpenAPI validation of every core object for each Kubernetes version."""
    problems = []
    for obj in objects:
        if is_custom(obj):
            continue
        for version in versions:
            try:
                used = kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as err:
                path = ".".join(str(p) for p in err.path)
                problems.append(
                    f"{ref(obj)} invalid for Kubernetes {version}: {path}: {err.message}"
                )
                continue
            except kubernetes_validate.SchemaNotFoundError as err:
                # An API removed or never present in this version (e.g. a typo in apiVersion).
                problems.append(f"{ref(obj)}: {err.message}")
                continue
            # kubernetes-validate falls back to an older schema silently; we want the real one.
            if used != version:
                problems.append(f"{ref(obj)}: validated against {used}, not {version}")
    return problems


def _get(obj: Obj, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def check_custom_resources(objects: list[Obj]) -> list[str]:
    """Required fields of each custom resource, and that its references resolve."""
    problems = []
    names = {(o.get("kind"), o.get("metadata", {}).get("name")) for o in objects}
    for obj in objects:
        fields = CUSTOM_RESOURCES.get((obj.get("apiVersion"), obj.get("kind")))
        if fields is None:
            continue
        if not _get(obj, "metadata.name"):
            problems.append(f"{ref(obj)}: no metadata.name")
        problems += [f"{ref(obj)}: missing {f}" for f in fields if _get(obj, f) in (None, [], {})]
        if obj["kind"] == "ScaledObject":
            target = _get(obj, "spec.scaleTargetRef.name")
            if ("Deployment", target) not in names:
                problems.append(
                    f"{ref(obj)}: scaleTargetRef {target!r} is not a rendered Deployment"
                )
            for trigger in _get(obj, "spec.triggers") or []:
                auth = _get(trigger, "authenticationRef.name")
                if auth and ("TriggerAuthentication", auth) not in names:
                    problems.append(f"{ref(obj)}: authenticationRef {auth!r} is not rendered")
        if obj["kind"] == "ServiceMonitor":
            problems += _service_monitor_problems(obj, objects)
    return problems


def _service_monitor_problems(monitor: Obj, objects: list[Obj]) -> list[str]:
    """What would make Prometheus scrape nothing, or refuse the scrape config: no Service
    selected, an endpoint port no selected Service has, a timeout longer than the interval."""
    selector = _get(monitor, "spec.selector") or {}
    services = [o for o in objects if o.get("kind") == "Service" and selects(selector, labels_of(o))]
    if not services:
        return [f"{ref(monitor)}: selects no rendered Service"]
    problems = []
    port_names = {p.get("name") for s in services for p in _get(s, "spec.ports") or []}
    for endpoint in _get(monitor, "spec.endpoints") or []:
        if endpoint.get("port") not in port_names:
            problems.append(
                f"{ref(monitor)}: endpoint port {endpoint.get('port')!r} is not a port of the "
                f"Services it selects ({', '.join(sorted(map(str, port_names)))})"
            )
        interval, timeout = endpoint.get("interval"), endpoint.get("scrapeTimeout")
        if interval and timeout and duration_seconds(timeout) > duration_seconds(interval):
            problems.append(
                f"{ref(monitor)}: scrapeTimeout {timeout} is longer than the interval {interval}"
            )
    return problems


_DURATION_PART = re.compile(r"(\d+)(ms|s|m|h)")
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def duration_seconds(text: str) -> float:
    """A Prometheus duration such as 30s, 1m or 1m30s, in seconds."""
    parts = _DURATION_PART.findall(str(text))
    if not parts or "".join(n + u for n, u in parts) != str(text):
        raise ValueError(f"not a Prometheus duration: {text!r}")
    return sum(int(n) * _DURATION_UNITS[u] for n, u in parts)


# ---------------------------------------------------------------- policy

POD_TEMPLATE_PATHS = {  # where each workload kind keeps its pod spec
    "Deployment": "spec.template.spec",
    "StatefulSet": "spec.template.spec",
    "DaemonSet": "spec.template.spec",
    "ReplicaSet": "spec.template.spec",
    "Job": "spec.template.spec",
    "CronJob": "spec.jobTemplate.spec.template.spec",
    "Pod": "spec",
}


def pod_specs(objects: list[Obj]) -> Iterator[tuple[Obj, Obj]]:
    for obj in objects:
        path = POD_TEMPLATE_PATHS.get(obj.get("kind", ""))
        spec = _get(obj, path) if path else None
        if isinstance(spec, dict):
            yield obj, spec


def labels_of(obj: Obj) -> dict[str, str]:
    return obj.get("metadata", {}).get("labels") or {}


def pod_labels(obj: Obj) -> dict[str, str]:
    template = _get(obj, "spec.template.metadata.labels")
    return template if template is not None else labels_of(obj)


def selects(selector: dict | None, labels: dict[str, str]) -> bool:
    """metav1.LabelSelector semantics (an empty selector selects everything)."""
    selector = selector or {}
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": labels.get(key) not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[op]
        if not ok:
            return False
    return True


def check_containers(objects: list[Obj]) -> list[str]:
    """Probes, resources and a locked-down security context on every container."""
    problems = []
    for obj, spec in pod_specs(objects):
        pod_sc = spec.get("securityContext") or {}
        containers = [(c, False) for c in spec.get("containers") or []]
        containers += [(c, True) for c in spec.get("initContainers") or []]
        for container, is_init in containers:
            where = f"{ref(obj)} {'init ' if is_init else ''}container {container.get('name')}"
            # Kubernetes rejects probes on ordinary init containers (they run to completion);
            # only sidecars (init containers with restartPolicy Always) keep running and need them.
            if not is_init or container.get("restartPolicy") == "Always":
                for probe in ("readinessProbe", "livenessProbe"):
                    if not container.get(probe):
                        problems.append(f"{where}: missing {probe}")
            resources = container.get("resources") or {}
            for section in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if not (resources.get(section) or {}).get(resource):
                        problems.append(
                            f"{where}: missing {resource} {section[:-1]} "
                            f"(resources.{section}.{resource})"
                        )
            sc = container.get("securityContext") or {}
            if not sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")):
                problems.append(f"{where}: runAsNonRoot is not true (pod or container)")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem is not true")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{where}: capabilities do not drop ALL")
    return problems


PROBES = ("startupProbe", "livenessProbe", "readinessProbe")


def check_probe_ports(objects: list[Obj]) -> list[str]:
    """Every probe aims at a port its container declares: by name for HTTP and TCP probes
    (the API server accepts any well-formed name; the kubelet fails only at run time),
    by number for gRPC probes."""
    problems = []
    for obj, spec in pod_specs(objects):
        for container in spec.get("containers") or []:
            ports = container.get("ports") or []
            names = {p.get("name") for p in ports}
            numbers = {p.get("containerPort") for p in ports}
            for kind in PROBES:
                probe = container.get(kind) or {}
                for action in ("httpGet", "tcpSocket", "grpc"):
                    port = (probe.get(action) or {}).get("port")
                    if port is not None and port not in (names if isinstance(port, str) else numbers):
                        problems.append(
                            f"{ref(obj)} container {container.get('name')}: {kind} port {port!r} "
                            "is not a port of the container"
                        )
    return problems


def _deployments(objects: list[Obj]) -> list[Obj]:
    return [o for o in objects if o.get("kind") == "Deployment"]


def _unselected(objects: list[Obj], kind: str, selector_path: str) -> list[str]:
    """Deployments whose pods no object of `kind` selects (through `selector_path`)."""
    selectors = [_get(o, selector_path) for o in objects if o.get("kind") == kind]
    return [
        f"{ref(d)}: no {kind} selects its pods"
        for d in _deployments(objects)
        if not any(selects(selector, pod_labels(d)) for selector in selectors)
    ]


def check_pdbs(objects: list[Obj]) -> list[str]:
    """Every Deployment has a PodDisruptionBudget whose selector matches its pods."""
    return _unselected(objects, "PodDisruptionBudget", "spec.selector")


def check_network_policies(objects: list[Obj]) -> list[str]:
    """Every Deployment's pods are selected by at least one NetworkPolicy."""
    return _unselected(objects, "NetworkPolicy", "spec.podSelector")


def check_gateway_ports(objects: list[Obj]) -> list[str]:
    """The gateway Service exists and has a port named grpc (gRPC-aware proxies and
    meshes pick the protocol from the name)."""
    services = [
        o
        for o in objects
        if o.get("kind") == "Service"
        and labels_of(o).get("app.kubernetes.io/component") == GATEWAY_COMPONENT
    ]
    if _deployments(objects) and not services:
        return [f"no Service labelled app.kubernetes.io/component={GATEWAY_COMPONENT}"]
    return [
        f"{ref(s)}: no port named grpc"
        for s in services
        if "grpc" not in {p.get("name") for p in _get(s, "spec.ports") or []}
    ]


# What only the gateway may hold: the file of API key hashes, and the demo key.
CREDENTIAL_VARIABLES = ("LADDER_API_KEYS_FILE", "LADDER_DEMO_KEY")


def _is_gateway(obj: Obj) -> bool:
    return pod_labels(obj).get("app.kubernetes.io/component") == GATEWAY_COMPONENT


def _all_containers(spec: Obj) -> list[Obj]:
    return (spec.get("containers") or []) + (spec.get("initContainers") or [])


def _mount_holding(container: Obj, path: str) -> Obj | None:
    """The volume mount a file path lies in (the deepest one, as the kubelet resolves it)."""
    holding = [
        m for m in container.get("volumeMounts") or []
        if path.startswith(m.get("mountPath", "").rstrip("/") + "/")
    ]
    return max(holding, key=lambda m: len(m["mountPath"]), default=None)


def _secret_keys_in_volume(volume: Obj) -> set[tuple[str, str | None]]:
    """(Secret name, key) pairs a volume exposes; key None when it exposes every key."""
    sources = [volume.get("secret")] + [
        s.get("secret") for s in _get(volume, "projected.sources") or []
    ]
    pairs = set()
    for source in filter(None, sources):
        name = source.get("secretName") or source.get("name")
        items = source.get("items")
        pairs |= {(name, i.get("key")) for i in items} if items else {(name, None)}
    return pairs


def check_gateway_credentials(objects: list[Obj]) -> list[str]:
    """The API keys file reaches the gateway read-only from a Secret volume, and no other
    workload can read it or the demo key: no mount of those Secret keys, no env reference
    to them, no envFrom of the Secret, and no LADDER_API_KEYS_FILE or LADDER_DEMO_KEY."""
    problems = []
    credentials: set[tuple[str, str | None]] = set()  # (Secret, key) pairs only the gateway may read
    for obj, spec in pod_specs(objects):
        if not _is_gateway(obj):
            continue
        volumes = {v.get("name"): v for v in spec.get("volumes") or []}
        for container in spec.get("containers") or []:
            where = f"{ref(obj)} container {container.get('name')}"
            env = {e.get("name"): e for e in container.get("env") or []}
            demo = _get(env.get("LADDER_DEMO_KEY") or {}, "valueFrom.secretKeyRef")
            if demo:
                credentials.add((demo.get("name"), demo.get("key")))
            keys_file = (env.get("LADDER_API_KEYS_FILE") or {}).get("value")
            if not keys_file:
                problems.append(f"{where}: LADDER_API_KEYS_FILE is not set")
                continue
            mount = _mount_holding(container, keys_file)
            if mount is None:
                problems.append(f"{where}: the API keys file {keys_file} is on no mounted volume")
                continue
            if mount.get("readOnly") is not True:
                problems.append(f"{where}: the API keys volume {mount.get('name')} is not mounted readOnly")
            exposed = _secret_keys_in_volume(volumes.get(mount.get("name")) or {})
            if not exposed:
                problems.append(f"{where}: the API keys file does not come from a Secret volume")
            credentials |= exposed
    secrets = {name for name, _ in credentials}

    def leaks(name: str | None, key: str | None) -> bool:
        # Another key of the same Secret (e.g. AMQP_URI) is fine; a whole-Secret read is not.
        return name in secrets and (key is None or (name, key) in credentials or (name, None) in credentials)

    for obj, spec in pod_specs(objects):
        if _is_gateway(obj):
            continue
        for volume in spec.get("volumes") or []:
            if any(leaks(name, key) for name, key in _secret_keys_in_volume(volume)):
                problems.append(f"{ref(obj)}: volume {volume.get('name')} mounts the gateway's credentials")
        for container in _all_containers(spec):
            where = f"{ref(obj)} container {container.get('name')}"
            for var in container.get("env") or []:
                if var.get("name") in CREDENTIAL_VARIABLES:
                    problems.append(f"{where}: sets {var['name']}, which only the gateway may have")
                secret_ref = _get(var, "valueFrom.secretKeyRef")
                if secret_ref and leaks(secret_ref.get("name"), secret_ref.get("key")):
                    problems.append(f"{where}: {var.get('name')} reads the gateway's credentials")
            for source in container.get("envFrom") or []:
                name = _get(source, "secretRef.name")
                if name and leaks(name, None):
                    problems.append(f"{where}: envFrom reads the gateway's credentials Secret {name}")
    return problems


POLICIES: tuple[Policy, ...] = (
    check_containers,
    check_probe_ports,
    check_pdbs,
    check_network_policies,
    check_gateway_ports,
    check_gateway_credentials,
)


def check_policy(objects: list[Obj]) -> list[str]:
    return [problem for policy in POLICIES for problem in policy(objects)]


# ---------------------------------------------------------------- main


def check_scenario(values_files: list[Path]) -> list[str]:
    values = load_values(values_files) or None
    problems = lint(values)
    try:
        objects = render(values)
    except helm_python.HelmError as err:
        return problems + [f"helm template failed: {err}"]
    custom = sorted({ref(o) for o in objects if is_custom(o)})
    if custom:
        print(
            f"  note: {len(custom)} custom resources have no core schema; shape-checked "
            f"instead: {', '.join(custom)}"
        )
    problems += validate_schemas(objects)
    problems += check_custom_resources(objects)
    problems += check_policy(objects)
    print(
        f"  {len(objects)} objects rendered, {len(objects) - len(custom)} schema-validated "
        f"x {len(KUBE_VERSIONS)} versions ({', '.join(KUBE_VERSIONS)})"
    )
    return problems


def main() -> int:
    started = time.perf_counter()
    failed = False
    for name, files in SCENARIOS.items():
        shown = ", ".join(str(f.relative_to(DEPLOY)) for f in files) or "chart defaults"
        print(f"[{name}] values: {shown}")
        problems = check_scenario(files)
        for problem in problems:
            print(f"  FAIL {problem}")
        print(f"  {'FAIL' if problems else 'PASS'} ({len(problems)} problems)")
        failed |= bool(problems)

    print("[dockerfile] deploy/Dockerfile")
    problems = dockerfile_check.check_dockerfile(dockerfile_check.DEFAULT_DOCKERFILE.read_text())
    for problem in problems:
        print(f"  FAIL {problem}")
    print(f"  {'FAIL' if problems else 'PASS'} ({len(problems)} problems)")
    failed |= bool(problems)

    print(f"{'FAILED' if failed else 'ALL PASSED'} in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
