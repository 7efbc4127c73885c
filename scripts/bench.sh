#!/usr/bin/env bash
# bench.sh — dlnb against the course's NumPy code, PyTorch 2 and GoMLX, in interleaved rounds.
#
# Every round runs, for each workload, each system once, one after the other:
#   dlnb float64 (the course's precision) and float32 (the fast path);
#   the course's NumPy code (scripts/reference/bench_numpy.py, float64, NumPy from .venv);
#   PyTorch 2 from PyPI (.venv-bench, made by scripts/reference/setup_bench.sh): float32,
#     2 threads, eager; also channels_last (convolution nets) and torch.compile where it runs;
#   GoMLX v0.26.0 on its pure-Go simplego backend (scripts/reference/gomlx), float32.
# Workloads: training (Adam, batch 100, random mini-batches of real MNIST) of the MLP
# 784-[100×5]-10, SimpleConvNet, DoubleConvNet and DeepConvNet, and DeepConvNet inference over
# the 10,000 test images (NumPy and GoMLX: the first 1,000, which takes them seconds already).
# A change in the machine's speed during the run then hits every system alike. The summary gives each system's median and min–max images/s over the rounds, and the
# ratios of medians against the targets.
#
#   scripts/bench.sh                      5 rounds, all workloads
#   scripts/bench.sh --rounds 7 mlp deepconv
#   scripts/bench.sh --busy               in the first 3 rounds, also each measurement again with one
#                                         core kept busy by another process: each system's slowdown
#                                         (PyTorch: eager). torch.compile runs in the first 2 rounds only
#                                         (it recompiles in every process).
#   scripts/bench.sh --no-torch           leave PyTorch out (no PyPI, or no 4 GB to spare)
#
# Workload names: mlp simpleconv doubleconv deepconv deepconv-infer. The raw lines go to
# build/bench/raw.txt, the summary to build/bench/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
rounds=5 busy=0 torch=1
work=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --busy) busy=1 ;;
    --no-torch) torch=0 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    mlp|simpleconv|doubleconv|deepconv|deepconv-infer) work+=("$1") ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$rounds" in ''|*[!0-9]*) echo "bench.sh: --rounds needs a whole number, got '$rounds'" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] || { echo "bench.sh: --rounds must be at least 1" >&2; exit 2; }
[ ${#work[@]} -gt 0 ] || work=(mlp simpleconv doubleconv deepconv deepconv-infer)

[ "${DLNB_BENCH_NO_SETUP:-}" = 1 ] || scripts/setup.sh >/dev/null
NUMPY_PY=$PWD/.venv/bin/python
TORCH_PY=
if [ $torch = 1 ]; then
  if TORCH_PY=$(scripts/reference/setup_bench.sh --print); then :; else
    echo "bench.sh: the PyTorch environment could not be made (above); going on without PyTorch" >&2
    TORCH_PY=
  fi
fi
export PATH=$(go env GOPATH | cut -d: -f1)/bin:$PATH
MNIST=$(go run ./dlnb/cmd/dlnb data -dir)
mkdir -p build/bench
go build -o build/dlnb ./dlnb/cmd/dlnb
(cd scripts/reference/gomlx && go build -o ../../../build/gomlxbench .)
raw=build/bench/raw.txt
: >"$raw"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $rounds rounds" >>"$raw"

# steps WORKLOAD: timed training steps for dlnb, NumPy, PyTorch and GoMLX (each well over a second).
steps() {
  case $1 in
    mlp) echo "400 100 400 40" ;;
    simpleconv) echo "40 6 40 4" ;;
    doubleconv) echo "40 6 40 4" ;;
    deepconv) echo "8 2 8 2" ;;
    deepconv-infer) echo "1 1 1 1" ;;
  esac
}

# run_one WORKLOAD SYSTEM: one measurement; prints "img/s" or nothing when the system cannot run it.
run_one() {
  local w=$1 sys=$2 net=${1%-infer} line gs ns ts xs
  local py=() go=() mlx=()
  local npy=()
  if [ "$w" = deepconv-infer ]; then py=(--infer) npy=(--infer --images=1000) go=(-infer) mlx=(--infer --images=1000); fi
  read -r gs ns ts xs <<<"$(steps "$w")"
  case $sys in
    dlnb-f64) line=$(build/dlnb bench -net "$net" -steps "$gs" -precision float64 "${go[@]}") ;;
    dlnb-f32) line=$(build/dlnb bench -net "$net" -steps "$gs" -precision float32 "${go[@]}") ;;
    numpy-f64) line=$(cd scripts/reference && OPENBLAS_NUM_THREADS=2 "$NUMPY_PY" bench_numpy.py "$MNIST" "$net" "$ns" "${npy[@]}") ;;
    torch-eager) line=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 "$TORCH_PY" bench_torch.py "$MNIST" "$net" "$ts" "${py[@]}") ;;
    torch-channels_last) line=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 "$TORCH_PY" bench_torch.py "$MNIST" "$net" "$ts" "${py[@]}" --channels-last) ;;
    torch-compile) line=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 "$TORCH_PY" bench_torch.py "$MNIST" "$net" "$ts" "${py[@]}" --compile 2>>"$ROOT/build/bench/torch-compile.log") || return 0 ;;
    gomlx) local opt=--im2col; [ "$net" = mlp ] && opt=--gemm-grad
      line=$(build/gomlxbench "$MNIST" "$net" "$xs" "${mlx[@]}" --warmup=1 $opt) ;;
  esac
  sed -n 's/.*img\/s=\([0-9.]*\).*/\1/p' <<<"$line"
}

systems() {
  local s=(dlnb-f64 dlnb-f32 numpy-f64)
  if [ -n "$TORCH_PY" ]; then
    s+=(torch-eager)
    [ "$1" != mlp ] && s+=(torch-channels_last)
    [ "${torch_compile_works:-1}" = 1 ] && s+=(torch-compile)
  fi
  s+=(gomlx)
  echo "${s[@]}"
}

# busy_start: one process that keeps one core busy for at most 10 minutes (bounded, so it cannot
# outlive the benchmark), at normal priority, like a browser tab spinning beside the kernel.
busy_pid=
busy_start() { timeout 600 sh -c 'while :; do :; done' & busy_pid=$!; sleep 0.3; }
busy_stop() { [ -n "$busy_pid" ] && kill "$busy_pid" 2>/dev/null; wait "$busy_pid" 2>/dev/null || true; busy_pid=; }
trap busy_stop EXIT

for r in $(seq 1 "$rounds"); do
  for w in "${work[@]}"; do
    for s in $(systems "$w"); do
      # torch.compile recompiles in every process (tens of seconds per workload): two rounds of it.
      [ "$s" = torch-compile ] && [ "$r" -gt 2 ] && continue
      v=$(run_one "$w" "$s" || true)
      if [ -z "$v" ]; then
        [ "$s" = torch-compile ] && torch_compile_works=0
        echo "round $r $w $s: did not run" >&2
        continue
      fi
      echo "$r $w $s idle $v" >>"$raw"
      printf 'round %d/%d  %-15s %-20s %10s img/s\n' "$r" "$rounds" "$w" "$s" "$v" >&2
      # The busy-core slowdown is measured for each system's default configuration.
      if [ $busy = 1 ] && [ "$r" -le 3 ] && [ "$s" != torch-channels_last ] && [ "$s" != torch-compile ]; then
        busy_start
        v=$(run_one "$w" "$s" || true)
        busy_stop
        [ -n "$v" ] && echo "$r $w $s busy $v" >>"$raw" &&
          printf 'round %d/%d  %-15s %-20s %10s img/s  (one core busy)\n' "$r" "$rounds" "$w" "$s" "$v" >&2
      fi
    done
  done
done
"$NUMPY_PY" scripts/reference/bench_summary.py "$raw" | tee build/bench/summary.md
