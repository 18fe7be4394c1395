package cli

import (
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata/lint"
)

// painter colours text with ANSI escapes when it is on, and leaves it
// alone when off, so that callers write one line either way.
type painter bool

// ANSI SGR codes painter uses.
const (
	red    = "31"
	green  = "32"
	yellow = "33"
	faint  = "2"
)

// colourFor returns the painter for what cmd writes on w: on only where a
// person reads it, that is w is a terminal, NO_COLOR is unset or empty
// (https://no-color.org), TERM is not "dumb" and the command is not
// printing --json. Pipes, files and CI logs get plain text.
func colourFor(cmd *cobra.Command, w io.Writer) painter {
	return colourWhen(writesToTerminal(w), cmd != nil && wantJSON(cmd))
}

// colourWhen is colourFor's decision for output that is a terminal or
// not, of a command printing JSON or not.
func colourWhen(terminal, json bool) painter {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return painter(terminal && !json)
}

// writesToTerminal reports whether w is a file that is a terminal taking
// ANSI escapes.
func writesToTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && ansiTerminal(f.Fd())
}

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// change colours one change of a diff by what it does to the schema: red
// for what it drops, green for what it creates or adds, yellow for what
// it alters. s is an operation as check prints it ("drop column …") or a
// SQL statement as migrate prints it ("ALTER TABLE … DROP COLUMN …").
func (p painter) change(s string) string {
	u := " " + strings.ToUpper(s) + " "
	switch {
	case strings.Contains(u, " DROP "):
		return p.paint(red, s)
	case strings.Contains(u, " CREATE "), strings.Contains(u, " ADD "), strings.HasPrefix(u, " INSERT "):
		return p.paint(green, s)
	}
	return p.paint(yellow, s)
}

// diff colours the indented lines of a multi-line report (check's
// DiffError: a heading, then one "  change" per line) with change.
func (p painter) diff(report string) string {
	if !p {
		return report
	}
	lines := strings.Split(report, "\n")
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "  "); ok {
			lines[i] = "  " + p.change(rest)
		}
	}
	return strings.Join(lines, "\n")
}

// finding colours a lint finding: yellow while active, faint once a
// lint-ignore directive silenced it.
func (p painter) finding(f lint.Finding) string {
	if f.Ignored != "" {
		return p.paint(faint, f.String())
	}
	return p.paint(yellow, f.String())
}
