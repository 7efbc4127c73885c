//go:build !unix

package backend

import "sync/atomic"

// newFLOPCounters returns plain counters: DLNB_FLOP_DIR needs a Unix
// system's shared file mappings.
func newFLOPCounters() *[2]atomic.Uint64 { return new([2]atomic.Uint64) }
