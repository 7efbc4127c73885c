//go:build asan

package backend

// guardOn is 0 under -asan: the matrices end exactly where the slices end,
// so that AddressSanitizer reports any access past them.
const guardOn = 0
