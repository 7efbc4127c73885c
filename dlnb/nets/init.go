package nets

import (
	"fmt"
	"math"
	"strings"
)

// InitScale returns the standard deviation of the initial weights of a layer
// with nPrev inputs, from the course's weight_init_std argument:
//
//	"relu" or "he"         → √(2/nPrev)   (He)
//	"sigmoid" or "xavier"  → √(1/nPrev)   (Xavier)
//	a number               → that number  (a Gaussian with that std)
//
// Names are case-insensitive. nil means the course's default, "relu".
func InitScale(spec any, nPrev int) (float64, error) {
	switch v := spec.(type) {
	case nil:
		return math.Sqrt(2.0 / float64(nPrev)), nil
	case string:
		switch strings.ToLower(v) {
		case "relu", "he":
			return math.Sqrt(2.0 / float64(nPrev)), nil
		case "sigmoid", "xavier":
			return math.Sqrt(1.0 / float64(nPrev)), nil
		}
		return 0, fmt.Errorf("unknown weight initialisation %q: use \"He\" (or \"relu\"), \"Xavier\" (or \"sigmoid\"), or a number for a Gaussian's standard deviation", v)
	case float64:
		return checkStd(v)
	case float32:
		return checkStd(float64(v))
	case int:
		return checkStd(float64(v))
	}
	return 0, fmt.Errorf("weight initialisation must be a name or a number, got %T", spec)
}

func checkStd(v float64) (float64, error) {
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("weight initialisation standard deviation %v must be a finite number ≥ 0", v)
	}
	return v, nil
}
