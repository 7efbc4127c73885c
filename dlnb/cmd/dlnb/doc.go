// Command dlnb is dlnb's command-line tool, and the repository's one
// command: every tool is a subcommand.
//
//	dlnb data                          load MNIST and Fashion-MNIST, report sizes and load times
//	dlnb train [flags]                 train a course network (checkpoints, resumes, charts)
//	dlnb eval [flags]                  evaluate a saved model on a test set
//	dlnb bench [flags]                 measure training (or inference) speed of a course network
//	dlnb notebooks [flags] [names]     execute the notebooks headless and write HTML reports
//	dlnb nbclean [-check] [paths]      strip outputs from the course notebooks before a commit
//	dlnb exercises [-out DIR] [nbs]    the student's copies: every answer replaced by a stub
//	dlnb check NOTEBOOK|FOLDER ...     execute notebooks, count their exercise checks (12 / 15 正解)
//
// Run "dlnb <command> -h" for a command's flags. A library mistake (a panic
// with a *mistake.Error) is printed as one line, like any other error.
package main
