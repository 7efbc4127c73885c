//go:build !cgo || !amd64

package backend

func avx512Supported() bool { return false }

func installAVX512() {}

func avx2Supported() bool { return false }

func installAVX2() {}
