//go:build !windows

package cli

// ansiTerminal reports whether fd is a terminal, which takes ANSI escapes
// (colour, erase line) everywhere but on Windows consoles.
func ansiTerminal(fd uintptr) bool { return isTerminal(fd) }
