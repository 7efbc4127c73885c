package exercise

import "time"

// SetLimit sets the time limit of a check and returns a function that puts
// the old one back (the tests of endless loops use a short one).
func SetLimit(d time.Duration) (restore func()) {
	old := limit
	limit = d
	return func() { limit = old }
}

// Limit is the time limit of a check.
func Limit() time.Duration { return limit }
