// Command dlnb is dlnb's command-line tool.
//
//	dlnb data                     load MNIST and Fashion-MNIST, report sizes and load times
//	dlnb notebooks [flags] [names] execute the notebooks headless and write HTML reports
//
// Run "dlnb <command> -h" for a command's flags.
package main
