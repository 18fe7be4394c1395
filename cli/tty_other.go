//go:build !linux && !windows && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package cli

// isTerminal reports false where strata cannot ask the system whether fd
// is a terminal: no prompt is better than a prompt nobody can answer.
func isTerminal(fd uintptr) bool { return false }
