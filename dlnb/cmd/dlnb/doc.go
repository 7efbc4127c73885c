// Command dlnb is dlnb's command-line tool.
//
//	dlnb data                          load MNIST and Fashion-MNIST, report sizes and load times
//	dlnb notebooks [flags] [names]     execute the notebooks headless and write HTML reports
//	dlnb exercises [-out DIR] [nbs]    the student's copies: every answer replaced by a stub
//	dlnb check NOTEBOOK|FOLDER ...     execute notebooks, count their exercise checks (12 / 15 正解)
//
// Run "dlnb <command> -h" for a command's flags.
package main
