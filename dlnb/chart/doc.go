// Package chart draws the course's figures with gonum/plot and renders them
// as PNG: accuracy curves, several runs on one chart, loss curves, per-layer
// histograms of activations or weights, grids of images (MNIST samples,
// convolution filters, misclassified digits) and heat maps of matrices
// (im2col output).
//
// Every constructor returns a *Figure. A Figure is rendered at 192 DPI —
// twice the pixel density it is displayed at — so it stays sharp on high-DPI
// screens; CSSWidth gives the width to display it at. PNG is the one format
// that survives every way a notebook is viewed (live, untrusted after headless
// execution, exported to HTML, offline). Package nb shows figures in a
// notebook; outside one, Figure.Save writes the PNG file.
//
// Constructors never panic on bad input: a Figure built from inconsistent data
// (series of different lengths, an empty image) carries the error, returned by
// Err and by PNG.
package chart
