//go:build !linux

package ordered

// unread cannot count unread bytes here: Send relies on gonbui.Sync alone.
func unread(fd int) int { return 0 }
