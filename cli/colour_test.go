package cli

import (
	"strings"
	"testing"
)

// TestColourOnlyOnATerminal: colour is on for a terminal only, and off
// with NO_COLOR set to anything (https://no-color.org), with TERM=dumb,
// and with --json. (TestColourEndToEnd runs the binary on a
// pseudo-terminal and into a pipe.)
func TestColourOnlyOnATerminal(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	if p := colourWhen(true, false); !p || p.change("DROP TABLE a") != "\x1b[31mDROP TABLE a\x1b[0m" {
		t.Fatalf("a terminal: %q", p.change("DROP TABLE a"))
	}
	if p := colourWhen(false, false); p || p.change("DROP TABLE a") != "DROP TABLE a" {
		t.Fatal("not a terminal, and coloured")
	}
	if colourWhen(true, true) {
		t.Fatal("--json is coloured")
	}
	t.Setenv("TERM", "dumb")
	if colourWhen(true, false) {
		t.Fatal("TERM=dumb is coloured")
	}
	t.Setenv("TERM", "xterm")
	for _, v := range []string{"1", "0", "false", "no"} {
		t.Setenv("NO_COLOR", v)
		if colourWhen(true, false) {
			t.Fatalf("NO_COLOR=%s is coloured", v)
		}
	}
}

// TestColourDiff: check's report colours each change by what it does
// (drops red, additions green, the rest yellow) and leaves its heading
// plain.
func TestColourDiff(t *testing.T) {
	var p painter = true
	got := p.diff("strata: the database differs; `migrate` would:\n  create table \"a\"\n  drop column \"b\" from \"a\"\n  alter column \"c\" of \"a\"")
	want := "strata: the database differs; `migrate` would:\n  \x1b[32mcreate table \"a\"\x1b[0m\n  \x1b[31mdrop column \"b\" from \"a\"\x1b[0m\n  \x1b[33malter column \"c\" of \"a\"\x1b[0m"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := p.change(`ALTER TABLE "a" ADD COLUMN "x" INTEGER`); !strings.HasPrefix(got, "\x1b[32m") {
		t.Fatalf("ADD COLUMN: %q", got)
	}
	if got := painter(false).diff("x\n  drop table \"a\""); got != "x\n  drop table \"a\"" {
		t.Fatalf("off: %q", got)
	}
}
