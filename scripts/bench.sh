#!/usr/bin/env bash
# bench.sh — dlnb against the course's NumPy code and PyTorch on this CPU.
#
# For each network (MLP 784-[100×5]-10, SimpleConvNet, DoubleConvNet,
# DeepConvNet) it runs, one after the other in the same session, a training
# benchmark (Adam, batch 100, random mini-batches of real MNIST) of:
#   dlnb float64 (the course's precision), dlnb float32 (fast path),
#   the course's NumPy code (scripts/reference, float64; OpenBLAS with 2
#     threads and with 1, the faster counts),
#   PyTorch (float32, torch.set_num_threads(2), OPENBLAS_NUM_THREADS=1),
# then DeepConvNet inference over the 10,000 test images, and prints img/s
# and the ratios. Ratios measured in one run are the result.
#
#   scripts/bench.sh            all networks
#   scripts/bench.sh mlp deepconv
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${DLNB_BENCH_NO_SETUP:-}" = 1 ] || scripts/setup.sh --with-torch >/dev/null
export PATH=$(go env GOPATH | cut -d: -f1)/bin:$PATH
PY=/usr/bin/python3
MNIST=$(go run ./dlnb/cmd/dlnb data -dir 2>/dev/null || true)
[ -n "$MNIST" ] || MNIST=$(go env GOMODCACHE)/github.com/petar/\!go\!m\!n\!i\!s\!t@v0.0.0-20150320212226-2fbe10d0fa63/data
nets=("$@")
[ ${#nets[@]} -gt 0 ] || nets=(mlp simpleconv doubleconv deepconv)
go build -o build/dlnb ./dlnb/cmd/dlnb
out=$(mktemp)
steps() { # go_steps numpy_steps torch_steps for a net
  case $1 in
    mlp) echo "1000 500 1000" ;;
    simpleconv) echo "60 12 60" ;;
    doubleconv) echo "60 12 60" ;;
    deepconv) echo "12 3 20" ;;
  esac
}
img() { sed -n 's/.*img\/s=\([0-9.]*\).*/\1/p' <<<"$1"; }
for n in "${nets[@]}"; do
  read -r gs ns ts <<<"$(steps "$n")"
  f64=$(build/dlnb bench -net "$n" -steps "$gs" -precision float64); echo "$f64"
  f32=$(build/dlnb bench -net "$n" -steps "$gs" -precision float32); echo "$f32"
  # NumPy with OpenBLAS on 2 threads and on 1 (faster for the small
  # convolution net): the better of the two is the reference.
  np2=$(cd scripts/reference && OPENBLAS_NUM_THREADS=2 $PY bench_numpy.py "$MNIST" "$n" "$ns"); echo "$np2"
  np1=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 $PY bench_numpy.py "$MNIST" "$n" "$ns"); echo "$np1 (OPENBLAS_NUM_THREADS=1)"
  np=$np2; awk -v a="$(img "$np1")" -v b="$(img "$np2")" 'BEGIN { exit !(a > b) }' && np=$np1
  pt=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 $PY bench_torch.py "$MNIST" "$n" "$ts"); echo "$pt"
  echo "$n $(img "$f64") $(img "$f32") $(img "$np") $(img "$pt")" >>"$out"
done
if printf '%s\n' "${nets[@]}" | grep -qx deepconv; then
  i64=$(build/dlnb bench -net deepconv -infer -precision float64); echo "$i64"
  i32=$(build/dlnb bench -net deepconv -infer -precision float32); echo "$i32"
  inp2=$(cd scripts/reference && OPENBLAS_NUM_THREADS=2 $PY bench_numpy.py "$MNIST" deepconv 0 --infer); echo "$inp2"
  inp1=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 $PY bench_numpy.py "$MNIST" deepconv 0 --infer); echo "$inp1 (OPENBLAS_NUM_THREADS=1)"
  inp=$inp2; awk -v a="$(img "$inp1")" -v b="$(img "$inp2")" 'BEGIN { exit !(a > b) }' && inp=$inp1
  ipt=$(cd scripts/reference && OPENBLAS_NUM_THREADS=1 $PY bench_torch.py "$MNIST" deepconv 0 --infer); echo "$ipt"
  echo "deepconv-inference $(img "$i64") $(img "$i32") $(img "$inp") $(img "$ipt")" >>"$out"
fi
echo
echo "img/s (higher is better); ratios measured in this run"
awk 'BEGIN { printf "%-20s %10s %10s %10s %10s %12s %12s %12s\n", "net", "dlnb f64", "dlnb f32", "numpy f64", "torch f32", "f64/numpy", "f32/torch", "f64/torch" }
     { printf "%-20s %10.0f %10.0f %10.0f %10.0f %11.2fx %11.2fx %11.2fx\n", $1, $2, $3, $4, $5, $2/$4, $3/$5, $2/$5 }' "$out"
echo
echo "targets: f32/torch >= 1.0 (mlp, simpleconv, deepconv); f64/numpy >= 10 (simpleconv, deepconv), >= 2 (mlp); deepconv inference f64/numpy >= 10"
rm -f "$out"
