package layers

import "fmt"

// ConvOutSize returns the output length of a convolution or pooling window
// sliding over n positions: (n + 2·pad − filter) // stride + 1, rounded down
// as the course's im2col does. When stride does not divide n + 2·pad − filter,
// the last LostPixels rows (or columns) of the padded input are never read.
// It is an error when the stride or padding is out of range or the filter is
// larger than the padded input.
func ConvOutSize(n, filter, stride, pad int) (int, error) {
	if stride < 1 {
		return 0, fmt.Errorf("stride must be at least 1, got %d", stride)
	}
	if pad < 0 {
		return 0, fmt.Errorf("pad must not be negative, got %d", pad)
	}
	span := n + 2*pad - filter
	if span < 0 {
		return 0, fmt.Errorf("filter %d is larger than the padded input %d+2·%d", filter, n, pad)
	}
	return span/stride + 1, nil
}

// LostPixels returns how many rows (or columns) at the end of the padded
// input a window of size filter moving by stride never reaches:
// (n + 2·pad − filter) mod stride. Zero means every pixel is used.
func LostPixels(n, filter, stride, pad int) int {
	if stride < 1 || n+2*pad < filter {
		return 0
	}
	return (n + 2*pad - filter) % stride
}
