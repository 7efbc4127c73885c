#!/usr/bin/env bash
# test.sh — the whole test suite, from a clean clone: set-up (including the
# browser for the UI test), static checks, the library tests with NumPy
# reference checks, and every notebook executed in quick mode through the real
# GoNB kernel with its outputs checked.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
export PATH=$PWD/.venv/bin:$(go env GOPATH | cut -d: -f1)/bin:$PATH
echo "[test] go vet"
go vet ./...
unformatted=$(git ls-files -z -- '*.go' | xargs -0 gofmt -l | grep -v '^tools/' || true)
[ -z "$unformatted" ] || { echo "[test] gofmt needed: $unformatted" >&2; exit 1; }
echo "[test] a new user's machine: set-up and two notebooks from empty caches, then with no network (scripts/fresh.sh)"
scripts/fresh.sh
scripts/nbgrader/setup.sh  # nbgrader (.venv-grader) for the exercises' round trip, TestNbgraderRoundTrip
echo "[test] go test (library, NumPy references, notebooks in quick mode)"
# Missing NumPy, JupyterLab or Chromium must fail here, not skip.
export DLNB_REQUIRE_PYTHON=1 DLNB_REQUIRE_NOTEBOOKS=1
go test -timeout 45m ./...
echo "[test] a class on JupyterHub (scripts/hub.sh): 6 students at once, runaway cells, the browser through the hub, the cluster recipe"
DLNB_REQUIRE_HUB=1 go test -count=1 -p 1 -timeout 30m -run 'Hub|ClusterRecipe' ./internal/hubtest ./notebooks
echo "[test] the AVX-512 C kernels on SIMDe's emulation of AVX-512 (tests them on CPUs without AVX-512 too)"
go vet -tags dlnb_simde ./dlnb/backend
go test -tags dlnb_simde ./dlnb/backend
echo "[test] the OpenBLAS path (DLNB_BLAS=openblas), used where the CPU has neither AVX-512 nor AVX2"
DLNB_BLAS=openblas go test -count=1 ./dlnb/backend ./dlnb/layers
echo "[test] the GoMLX reference networks of the benchmark (their own module)"
(cd scripts/reference/gomlx && go vet . && go test .)
echo "[test] pure-Go BLAS path (DLNB_BLAS=go)"
DLNB_BLAS=go go test -count=1 -timeout 10m ./dlnb/...  # -count=1: DLNB_BLAS is read at init, invisible to the test cache
echo "[test] all passed"
