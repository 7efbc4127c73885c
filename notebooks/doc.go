// Package notebooks holds the course notebooks (*.ipynb, generated from src/)
// and the tests that execute them through the GoNB kernel. It has no library
// code.
package notebooks
