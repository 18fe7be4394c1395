package cli_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

// onTerminal runs strata with its standard output on a pseudo-terminal
// (standard error into a buffer) and the environment env added, and
// returns what the terminal showed.
func onTerminal(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return onTerminalTyping(t, env, "", args...)
}

// onTerminalTyping is onTerminal with standard input on the terminal
// too, where typed has been typed ahead.
func onTerminalTyping(t *testing.T, env []string, typed string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	tty, type_, read := openPTY(t)
	cmd := strataCmd(args...)
	cmd.Env = append(cmd.Env, env...)
	var errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = tty, &errBuf
	if typed != "" {
		cmd.Stdin = tty
		type_(typed)
	}
	err := cmd.Run()
	stdout = read()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("strata %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return stdout, errBuf.String(), code
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestProgressOnTerminal: with standard output on a terminal, upgrade
// shows the revision that runs on a line rewritten in place, replaces it
// by the revision's finished line (printed once), and ends with the
// summary; a failed run shows what completed, clears the live line and
// prints no summary; TERM=dumb gets the plain lines. On every dialect.
func TestProgressOnTerminal(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"001_users.sql": "-- strata:revision 001\n-- strata:message create users\n-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE users;\n",
			"002_posts.sql": "-- strata:revision 002\n-- strata:parents 001\n-- strata:message create posts\n-- migrate:up\nCREATE TABLE posts (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n",
		})
		env := []string{"TERM=xterm", "NO_COLOR="}
		got, stderr, code := onTerminal(t, env, "upgrade", "--dir", dir, "--database", url)
		if code != 0 {
			t.Fatalf("upgrade: exit %d\n%s", code, stderr)
		}
		want := regexp.MustCompile(`^\r\x1b\[K\[1/2\] upgrading 001 \(create users\)… \d+\.\ds` +
			`(\r\x1b\[K\[1/2\] upgrading 001 \(create users\)… \d+\.\ds)*` +
			`\r\x1b\[KUpgraded 001 \(create users\) in \S+\n` +
			`\r\x1b\[K\[2/2\] upgrading 002 \(create posts\)… \d+\.\ds` +
			`(\r\x1b\[K\[2/2\] upgrading 002 \(create posts\)… \d+\.\ds)*` +
			`\r\x1b\[KUpgraded 002 \(create posts\) in \S+\n` +
			`2 revisions upgraded in \S+\n$`)
		if !want.MatchString(got) {
			t.Fatalf("upgrade on a terminal showed:\n%q", got)
		}

		writeFiles(t, dir, map[string]string{
			"003_tags.sql": "-- strata:revision 003\n-- strata:parents 002\n-- strata:message create tags\n-- migrate:up\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n",
			"004_bad.sql":  "-- strata:revision 004\n-- strata:parents 003\n-- strata:message bad\n-- migrate:up\nINSERT INTO nosuch (id) VALUES (1);\n-- migrate:down\nSELECT 1;\n",
		})
		got, stderr, code = onTerminal(t, env, "upgrade", "--dir", dir, "--database", url)
		if code != 1 || !strings.Contains(stderr, "Error: ") {
			t.Fatalf("upgrade through 004: exit %d\n%s", code, stderr)
		}
		if strings.Count(got, "Upgraded 003 (create tags) in ") != 1 || !strings.Contains(got, "[2/2] upgrading 004 (bad)…") ||
			!strings.HasSuffix(got, "s\r\x1b[K") || strings.Contains(got, "upgraded in") {
			t.Fatalf("a failed upgrade on a terminal showed:\n%q", got)
		}

		got, stderr, code = onTerminal(t, []string{"TERM=dumb"}, "downgrade", "--dir", dir, "--database", url)
		if code != 0 || !regexp.MustCompile(`^Downgraded 003 \(create tags\) in \S+\n1 revision downgraded in \S+\n$`).MatchString(got) {
			t.Fatalf("downgrade with TERM=dumb: exit %d\n%q\n%s", code, got, stderr)
		}
	})
}

// TestProgressConfirmedLoss: an upgrade that stops at the data-loss guard
// and is confirmed at the terminal's prompt shows every revision once,
// those completed before the prompt included, and the summary of both
// tries, on every dialect.
func TestProgressConfirmedLoss(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		// The row is there before the run: MySQL predicts the loss from
		// the rows the tables hold when the run starts.
		writeFiles(t, dir, map[string]string{
			"001_a.sql": "-- strata:revision 001\n-- strata:message create a\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a (id) VALUES (1);\n-- migrate:down\nDROP TABLE a;\n",
		})
		if r := run(t, "upgrade", "--dir", dir, "--database", url); r.code != 0 {
			t.Fatal(r)
		}
		writeFiles(t, dir, map[string]string{
			"002_b.sql":    "-- strata:revision 002\n-- strata:parents 001\n-- strata:message create b\n-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE b;\n",
			"003_drop.sql": "-- strata:revision 003\n-- strata:parents 002\n-- strata:message drop a\n-- migrate:up\nDROP TABLE a;\n-- migrate:down\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n",
		})
		got, stderr, code := onTerminalTyping(t, []string{"TERM=xterm"}, "yes\n", "upgrade", "--dir", dir, "--database", url)
		if code != 0 || !strings.Contains(stderr, "Type yes to confirm") {
			t.Fatalf("upgrade: exit %d\n%q\n%s", code, got, stderr)
		}
		for _, line := range []string{"Upgraded 002 (create b) in ", "Upgraded 003 (drop a) in "} {
			if n := strings.Count(got, line); n != 1 {
				t.Fatalf("%q shown %d times:\n%q", line, n, got)
			}
		}
		if !regexp.MustCompile(`\n2 revisions upgraded in \S+\n$`).MatchString(got) {
			t.Fatalf("no summary of the 2 revisions:\n%q", got)
		}
	})
}

// TestColourEndToEnd: lint's findings and migrate's statements are
// coloured on a terminal, and plain with NO_COLOR or into a pipe, on
// every dialect.
func TestColourEndToEnd(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"001_a.sql":    "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n",
			"002_drop.sql": "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nDROP TABLE a;\n-- migrate:down\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n",
		})
		lint := []string{"lint", "--all", "--dir", dir, "--database", url}
		got, stderr, _ := onTerminal(t, []string{"TERM=xterm", "NO_COLOR="}, lint...)
		if !strings.Contains(got, "\x1b[33m002_drop.sql:4: ") {
			t.Fatalf("lint on a terminal, no yellow finding:\n%q\n%s", got, stderr)
		}
		got, _, _ = onTerminal(t, []string{"TERM=xterm", "NO_COLOR=1"}, lint...)
		if strings.Contains(got, "\x1b[") || !strings.Contains(got, "002_drop.sql:4: ") {
			t.Fatalf("lint with NO_COLOR=1 on a terminal:\n%q", got)
		}
		cmd := strataCmd(lint...)
		cmd.Env = append(cmd.Env, "TERM=xterm", "NO_COLOR=")
		piped, _ := cmd.Output()
		if strings.Contains(string(piped), "\x1b[") || !strings.Contains(string(piped), "002_drop.sql:4: ") {
			t.Fatalf("lint into a pipe:\n%q", piped)
		}

		schema := filepath.Join(t.TempDir(), "schema.sql")
		writeFiles(t, filepath.Dir(schema), map[string]string{"schema.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY);\n"})
		mdir := t.TempDir()
		got, stderr, code := onTerminal(t, []string{"TERM=xterm", "NO_COLOR="}, "migrate", "-m", "b", "--schema", schema, "--dir", mdir, "--database", url)
		if code != 0 || !regexp.MustCompile("\n  \x1b\\[32mCREATE TABLE [^\n]*\x1b\\[0m\n").MatchString(got) {
			t.Fatalf("migrate on a terminal: exit %d\n%q\n%s", code, got, stderr)
		}
	})
}
