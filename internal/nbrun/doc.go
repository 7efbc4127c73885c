// Package nbrun executes dlnb's notebooks headless through the GoNB kernel
// (jupyter nbconvert --execute), exports them as HTML reports and reads the
// executed notebooks back so their outputs can be checked.
package nbrun
