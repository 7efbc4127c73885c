// Package lossparity holds the end-to-end check that dlnb reproduces the
// course: the same training runs in the course's own NumPy code
// (scripts/reference/course_common.py) and in dlnb, with the same seed, must
// give the same loss at every iteration.
package lossparity
