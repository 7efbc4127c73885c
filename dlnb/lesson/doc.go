// Package lesson holds what every lesson notebook shares besides the maths:
// the course's printed lines (PyFloat prints a number as Python does,
// PrintGeneration the exact "Generation:" progress lines, DataLoaded), the
// quick and full modes that shorten or lengthen every run (Quick, Full,
// Iters, from DLNB_QUICK and DLNB_FULL), and where the repository and its
// training runs are (RepoRoot, RunsDir).
package lesson
