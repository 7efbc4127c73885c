// Package notebooks holds the course notebooks (*.ipynb, edited in
// JupyterLab and committed without outputs) and the tests that execute them
// through the GoNB kernel: errors_test.go (mistakes show one readable
// message; every notebook starts with the same import cell),
// notebooks_test.go (training cells print and plot), report_test.go (the
// HTML reports work offline) and ui_test.go (JupyterLab itself). It has no
// library code.
package notebooks
