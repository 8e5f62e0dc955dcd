#!/usr/bin/env sh
# Serve the Sightline base model and every promoted LoRA adapter with vLLM (GPU hosts; `pip install vllm`).
#
#   sightline models export /srv/sightline-models --served-root /models   # on the operator machine
#   MODEL_ROOT=/models OPENAI_API_KEY=... deploy/vllm/serve.sh            # on the GPU host, export mounted at /models
#
# The export holds base/ (safetensors + tokenizer, unmerged), adapters/<name>/ (adapter_config.json points at
# $MODEL_ROOT/base) and lora-modules.txt ("industry=/models/adapters/industry tenant-acme=/models/adapters/tenant-acme").
# Point Sightline at it with SIGHTLINE_LLM=openai OPENAI_BASE_URL=http://HOST:8001/v1 SIGHTLINE_OPENAI_MODEL=sightline-base;
# the industry tool asks for model "industry", a tenant adapter for "tenant-<slug>" (see docs/training.md, Serving).
set -eu

MODEL_ROOT="${MODEL_ROOT:-/models}"
PORT="${PORT:-8001}"
MAX_LORA_RANK="${MAX_LORA_RANK:-16}"   # >= the largest adapter rank (quick/balanced/cost: 8 or 4, quality: 16)
MAX_LORAS="${MAX_LORAS:-8}"            # adapters resident on the GPU at once; more are swapped in from CPU memory

if [ ! -f "$MODEL_ROOT/base/config.json" ] || [ ! -f "$MODEL_ROOT/lora-modules.txt" ]; then
    echo "error: $MODEL_ROOT has no export (run: sightline models export DIR --served-root $MODEL_ROOT)" >&2
    exit 2
fi
: "${OPENAI_API_KEY:?set OPENAI_API_KEY (the bearer token clients must send)}"

# shellcheck disable=SC2046  # one argument per "name=path" pair
exec vllm serve "$MODEL_ROOT/base" \
    --served-model-name sightline-base \
    --enable-lora --max-lora-rank "$MAX_LORA_RANK" --max-loras "$MAX_LORAS" \
    --lora-modules $(cat "$MODEL_ROOT/lora-modules.txt") \
    --dtype bfloat16 \
    --host 0.0.0.0 --port "$PORT" \
    --api-key "$OPENAI_API_KEY" \
    "$@"
