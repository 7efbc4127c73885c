// Package course reproduces the course notebooks' conventions: Python-style
// number printing, the exact "Generation:" progress lines, and the quick mode
// that shortens every run for automated checks.
package course
