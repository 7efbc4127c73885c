package nb

import (
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/nets"
	"github.com/dlnb/course/dlnb/np"
)

func TestTryReturnsTheMistake(t *testing.T) {
	err := Try(func() {
		nets.Sequential("too small", []int{1, 28, 28}, nets.Conv(10, 29), nets.Relu(), nets.Affine(10))
	})
	if err == nil || !strings.Contains(err.Error(), "layer 1 (Conv1") {
		t.Fatalf("Try returned %v", err)
	}
	if err := Try(func() { np.Add(np.Zeros(2), np.Zeros(2)) }); err != nil {
		t.Fatalf("Try of working code returned %v", err)
	}
}
