// Package browser starts a headless Chromium (Debian's chromium package) and
// drives it with the DevTools protocol through go-rod, for dlnb's tests of
// exported reports and of the live Jupyter UI.
package browser
