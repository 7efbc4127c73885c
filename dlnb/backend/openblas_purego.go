//go:build !cgo

package backend

import "errors"

// cgoBuild reports whether this binary was built with cgo (needed to load OpenBLAS).
const cgoBuild = false

func openOpenBLAS() (string, error) {
	return "", errors.New("built without cgo (CGO_ENABLED=0), OpenBLAS cannot be loaded")
}

func installOpenBLAS() {}
