package ordered

import "golang.org/x/sys/unix"

// unread returns how many bytes written to the pipe fd GoNB has not read
// yet (TIOCINQ is Linux's FIONREAD), or 0 when fd is not a pipe or the
// count cannot be had.
func unread(fd int) int {
	n, err := unix.IoctlGetInt(fd, unix.TIOCINQ)
	if err != nil {
		return 0
	}
	return n
}
