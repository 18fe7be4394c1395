package cli

import "golang.org/x/sys/windows"

// ansiTerminal reports whether fd is a console that takes ANSI escapes
// (colour, erase line), turning on their processing where the console
// has it off; an older console that refuses gets plain text.
func ansiTerminal(fd uintptr) bool {
	var mode uint32
	h := windows.Handle(fd)
	if windows.GetConsoleMode(h, &mode) != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
