// Package errbox makes a GoNB notebook cell show a dlnb mistake as one
// readable message: a red error box with the sentence, no goroutine trace,
// and the cell ends with exit status 1, so the kernel marks it as failed and
// a headless run stops there.
//
// The library reports mistakes by panicking with a *mistake.Error (package
// dlnb/mistake) and knows nothing of notebooks; importing this package
// installs the display with mistake.SetHandler. GoNB drops the imports a
// cell does not use, so every course notebook's import cell has
//
//	_ "github.com/dlnb/course/dlnb/nb/errbox" // 間違いを赤い枠の一文で表示
//
// which GoNB keeps in every later cell, even one that uses only np. Package
// nb imports it too. Outside a notebook the handler does nothing and the
// panic goes on, for the caller to recover.
package errbox
