"""Prometheus metrics of the web app (served at /metrics): turns, latency, refusals, feedback; no tenant labels."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

TURNS = Counter("sightline_chat_turns_total", "Chat turns answered", ["channel", "route"])
TURN_SECONDS = Histogram("sightline_chat_turn_seconds", "Wall time of a chat turn", ["route"],
                         buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120))
RATE_LIMITED = Counter("sightline_rate_limited_total", "Turns refused by the rate limiter", ["channel"])
INPUT_REJECTED = Counter("sightline_input_rejected_total", "Messages refused by the input checks", ["channel"])
ORIGIN_REFUSED = Counter("sightline_origin_refused_total", "Requests refused by the Origin allow-list", ["transport"])
LOGIN_REFUSED = Counter("sightline_login_refused_total", "Verified identities refused at sign-in", ["reason"])
FEEDBACK = Counter("sightline_feedback_total", "Ratings stored", ["value"])
WIDGET_TOKENS = Counter("sightline_widget_tokens_total", "Widget token requests", ["result"])
STORE_ERRORS = Counter("sightline_chat_store_errors_total", "Chat history reads/writes that failed", ["operation"])
# Monitoring (training/monitoring.py): per registry version ("base" without an adapter) and rollout arm; never tenant
# or user labels.
MODEL_TURNS = Counter("sightline_model_turns_total", "Chat turns per model version, route, arm and outcome",
                      ["route", "version", "arm", "status"])
MODEL_TURN_SECONDS = Histogram("sightline_model_turn_seconds", "Turn latency per model version and arm",
                               ["version", "arm"], buckets=(0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120))
MODEL_COST = Counter("sightline_model_cost_usd_total", "Estimated serving cost (SIGHTLINE_COST_PER_* model)",
                     ["version", "arm"])
ALERTS = Counter("sightline_monitor_alerts_total", "Monitoring alerts raised", ["kind"])
DRIFT_P = Gauge("sightline_drift_p_value", "p-value of the last drift test (low = drift)", ["test"])


def render() -> tuple[bytes, str]:
    """The exposition text and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST
