//go:build !cgo || !amd64

package backend

// Without cgo, or off amd64, no build of the C kernels is compiled in.

func avx512Supported() bool { return false }

func installAVX512() {}

func avx2Supported() bool { return false }

func installAVX2() {}
