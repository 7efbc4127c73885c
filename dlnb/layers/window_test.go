package layers

import "testing"

func TestConvOutSize(t *testing.T) {
	// The confirmation question: 6×6 input, 2×2 filter, stride 1, pad 1 → 7×7.
	if n, err := ConvOutSize(6, 2, 1, 1); err != nil || n != 7 {
		t.Errorf("ConvOutSize(6, 2, 1, 1) = %d, %v; want 7", n, err)
	}
	// 28 with a 5-filter at stride 2: (28 − 5) // 2 + 1 = 12, the course's
	// floor; the last column is never read.
	if n, err := ConvOutSize(28, 5, 2, 0); err != nil || n != 12 || LostPixels(28, 5, 2, 0) != 1 {
		t.Errorf("ConvOutSize(28, 5, 2, 0) = %d, %v (lost %d); want 12, 1 lost", n, err, LostPixels(28, 5, 2, 0))
	}
	if _, err := ConvOutSize(4, 5, 1, 0); err == nil {
		t.Error("a filter larger than the input: want an error")
	}
}
