//go:build !unix

package backend

import "sync/atomic"

// newFLOPCounter returns a plain counter: DLNB_FLOP_DIR needs a Unix
// system's shared file mappings.
func newFLOPCounter() *atomic.Uint64 { return new(atomic.Uint64) }
