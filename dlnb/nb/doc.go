// Package nb shows dlnb's results in a Jupyter notebook run by the GoNB
// kernel: charts (as PNG, the format that survives every viewer and the HTML
// export), HTML, markdown and tables, live training progress, and errors as
// readable cell output.
//
// It and its package errbox, which shows a library mistake (a panic with a
// *mistake.Error) as a cell's error box, are the only dlnb packages that
// import GoNB: the library below them does not link it, and
// TestOnlyTheNotebookFloorLinksGoNB keeps it so. Outside a notebook the
// same calls still work: figures are written as PNG files to OutDir() and a
// line saying where is printed; tables and markdown are printed as text. So
// the command-line tool and the tests use the same code as the notebooks.
package nb
