//go:build cgo && amd64 && !dlnb_simde

package backend

// simde is the SIMDe build of the C kernels (simde_cgo.go), absent
// without -tags dlnb_simde.
var simde *cImpl

const simdeMissing = "the SIMDe build of the AVX-512 kernels is not compiled in: " +
	"run go test -tags dlnb_simde ./dlnb/backend (needs libsimde-dev)"
