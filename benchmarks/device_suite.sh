#!/usr/bin/env bash
# The device benchmark suite: one command, under 10 minutes on one GPU, appending to
# results/device_suite.md (per-family train-step times, bf16 where a family has the option,
# the WGAN-GP ResNet critic step, cached vs naive PixelCNN sampling).
#
#   GEN_MODELS_DATA_DIR=/path/to/data benchmarks/device_suite.sh
#
# Environment: PYTHON (default python), OUT (default results/device_suite.md), STEPS (timed
# train steps per family, default 20). Each part has its own time limit; a part that fails or
# runs out of time is noted in the report and the suite goes on.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
OUT=${OUT:-results/device_suite.md}
STEPS=${STEPS:-20}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

device=$($PY -c 'import jax; d = jax.devices(); print(f"{len(d)} x {d[0].device_kind} ({d[0].platform})")' 2>/dev/null)
{
  echo
  echo "## Device suite, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "- devices: ${device:-unknown}; host: $(hostname -s)"
  echo "- commit: $(git rev-parse HEAD 2>/dev/null)$(git diff --quiet HEAD -- gen_models benchmarks 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- command: \`benchmarks/device_suite.sh\` (STEPS=$STEPS)"
} >> "$OUT"

part() {  # part NAME SECONDS COMMAND...: runs a part under a time limit, notes a failure
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit}s)" >&2
  timeout "$limit" "$@"
  local rc=$?
  if [ $rc -ne 0 ]; then
    printf '\n- %s: did not finish (exit %s%s)\n' "$name" "$rc" \
      "$([ $rc -eq 124 ] && echo ', time limit')" >> "$OUT"
  fi
}

# 1. Train-step time of every family (f32; bf16 where the family's config offers it).
part "train-step times" 240 $PY benchmarks/step_times.py --steps "$STEPS" --out "$OUT"

# 2. WGAN-GP critic step of the appendix B.3 ResNets (unconditional and AC-GAN), with FLOPs.
part "WGAN-GP critic step" 120 $PY benchmarks/gp_step_throughput.py --batch-size 64 --steps 10 \
  --out "$OUT" --append
part "AC-GAN critic step" 120 $PY benchmarks/gp_step_throughput.py --batch-size 64 --steps 10 \
  --conditional --out "$OUT" --append

# 3. Gated PixelCNN sampling: naive vs cached sampler (the speed-up, and identical samples).
if part "sampling speed" 150 $PY benchmarks/sampling_speed.py --num_samples 64 --out "$TMP/sampling.md"; then
  { echo; sed 's/^# /### /' "$TMP/sampling.md"; } >> "$OUT"
fi
echo "appended to $OUT" >&2
