// Package results collects each notebook's final accuracies from the
// executed notebooks and sets them beside the ranges students published for
// the course (docs/course.md §3), as a Markdown and HTML results page.
package results
