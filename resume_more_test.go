package strata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/cli"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// noTx is the header that makes a revision run statement by statement on
// the dialects whose DDL is transactional, so that it can stop half-way
// there as every revision can on MySQL.
func noTx(dialect string) string {
	if dialect == "mysql" {
		return ""
	}
	return "-- strata:no-transaction\n"
}

// runCLI runs strata's command line on url and dir and returns its output.
func runCLIIn(t *testing.T, url, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := cli.New()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	// An empty configuration of its own, so that no strata.toml of the
	// working directory is read.
	config := filepath.Join(t.TempDir(), "strata.toml")
	if err := os.WriteFile(config, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd.SetArgs(append([]string{"--database", url, "--dir", dir, "--config", config}, args...))
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func count(t *testing.T, m *strata.Migrator, query string) int {
	t.Helper()
	var n int
	if err := m.DB().QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestResumeRefusesEditsAbovePoint: a revision stopped half-way; editing
// or inserting a statement above the point it would resume from stops the
// resume with a ResumeMismatchError naming the statement, and nothing
// runs; restoring the file lets it resume.
func TestResumeRefusesEditsAbovePoint(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		head := "-- strata:revision 001\n" + noTx(dialect) + "-- migrate:up\n"
		ran := "CREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (1);\n"
		fixed := ran + "INSERT INTO a VALUES (2);\n-- migrate:down\nDROP TABLE a;\n"
		for _, tc := range []struct{ name, file, where string }{
			{"edit", head + "CREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (5);\nINSERT INTO a VALUES (2);\n-- migrate:down\nDROP TABLE a;\n", "001.sql:" + lineOf(head, 2)},
			{"insert", head + "CREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (7);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);\n-- migrate:down\nDROP TABLE a;\n", "001.sql:" + lineOf(head, 2)},
			{"remove", head + "INSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);\n-- migrate:down\nDROP TABLE a;\n", "001.sql:" + lineOf(head, 1)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				url := testdb.URL(t, dialect)
				dir := t.TempDir()
				write(t, dir, "001.sql", head+ran+"INSERT INTO nosuch VALUES (1);\n-- migrate:down\nDROP TABLE a;\n")
				m := open(t, url, dir)
				if _, err := m.Upgrade(ctx, "head"); err == nil {
					t.Fatal("the failing revision ran")
				}
				write(t, dir, "001.sql", tc.file)
				m = open(t, url, dir)
				_, err := m.Upgrade(ctx, "head")
				var me *runner.ResumeMismatchError
				if !errors.As(err, &me) {
					t.Fatalf("resume after an edit above the point: %v, want a ResumeMismatchError", err)
				}
				for _, want := range []string{"001", tc.where, "repair", "Restore the file"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not mention %q", err, want)
					}
				}
				if n := count(t, m, "SELECT COUNT(*) FROM a"); n != 1 {
					t.Fatalf("rows in a after the refused resume: %d, want 1", n)
				}
				write(t, dir, "001.sql", head+fixed)
				m = open(t, url, dir)
				if _, err := m.Upgrade(ctx, "head"); err != nil {
					t.Fatalf("resume with the file restored: %v", err)
				}
				if n := count(t, m, "SELECT COUNT(*) FROM a"); n != 2 {
					t.Fatalf("rows in a after the resume: %d, want 2", n)
				}
			})
		}
	})
}

// lineOf returns the line, in a file starting with head, of its n-th
// statement after head (1-based, one statement a line).
func lineOf(head string, n int) string {
	return strconv.Itoa(strings.Count(head, "\n") + n)
}

// halfDoneDowngrade applies 001 and 002, then makes 002's downgrade stop
// after its first statement.
func halfDoneDowngrade(t *testing.T, dialect string) (url, dir string) {
	t.Helper()
	ctx := context.Background()
	url = testdb.URL(t, dialect)
	dir = t.TempDir()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n")
	write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n"+noTx(dialect)+"-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE c;\nDROP TABLE nosuch;\nDROP TABLE b;\n")
	m := open(t, url, dir)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Downgrade(ctx, "-1"); err == nil {
		t.Fatal("the failing downgrade ran")
	}
	return url, dir
}

// TestHalfDoneDowngradeVisible: a downgrade that stopped half-way shows
// in Status, current and history with its direction and position, and
// upgrade refuses to run (rather than saying there is nothing to do) until
// the downgrade is finished.
func TestHalfDoneDowngradeVisible(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url, dir := halfDoneDowngrade(t, dialect)
		m := open(t, url, dir)
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.HalfDone) != 1 || st.HalfDone[0].Revision != "002" || st.HalfDone[0].Direction != runner.Down || st.HalfDone[0].Done != 1 || st.HalfDone[0].Total != 3 {
			t.Fatalf("half-done after the failed downgrade: %+v", st.HalfDone)
		}
		for _, args := range [][]string{{"current"}, {"history", "--indicate-current"}} {
			out, err := runCLIIn(t, url, dir, args...)
			if err != nil {
				t.Fatalf("%s: %v", args[0], err)
			}
			if !strings.Contains(out, "half-done downgrade") && !strings.Contains(out, "its downgrade stopped") || !strings.Contains(out, "1 of 3") {
				t.Errorf("%s does not show the half-done downgrade:\n%s", args[0], out)
			}
		}
		out, err := runCLIIn(t, url, dir, "upgrade", "head")
		var hd *runner.HalfDoneError
		if !errors.As(err, &hd) || strings.Contains(out, "Nothing to upgrade") {
			t.Fatalf("upgrade head on a half-done downgrade: %v, output %q; want a HalfDoneError", err, out)
		}
		if !strings.Contains(err.Error(), "downgrade") || !strings.Contains(err.Error(), "repair --reset 002") {
			t.Errorf("the error does not say how to go on: %v", err)
		}
		// Finishing the downgrade (the cause fixed, and the edit of an
		// applied file accepted) clears it.
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n"+noTx(dialect)+"-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE c;\nDROP TABLE IF EXISTS nosuch;\nDROP TABLE b;\n")
		if _, err := runCLIIn(t, url, dir, "repair", "002"); err != nil {
			t.Fatalf("repair: %v", err)
		}
		if _, err := runCLIIn(t, url, dir, "downgrade"); err != nil {
			t.Fatalf("finishing the downgrade: %v", err)
		}
		if out, err := runCLIIn(t, url, dir, "current"); err != nil || strings.Contains(out, "half-done") || !strings.Contains(out, "001") {
			t.Fatalf("current after the downgrade finished: %v\n%s", err, out)
		}
	})
}

// TestHalfDoneUpgradeBlocksDowngrade: while an upgrade stopped half-way, a
// downgrade (which would undo its parent under it) refuses to start.
func TestHalfDoneUpgradeBlocksDowngrade(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n")
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n"+noTx(dialect)+"-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO nosuch VALUES (1);\n-- migrate:down\nDROP TABLE b;\n")
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "head"); err == nil {
			t.Fatal("the failing upgrade ran")
		}
		_, err := m.Downgrade(ctx, "-1")
		var hd *runner.HalfDoneError
		if !errors.As(err, &hd) || hd.Progress.Revision != "002" || hd.Progress.Direction != runner.Up {
			t.Fatalf("downgrade on a half-done upgrade: %v, want a HalfDoneError for 002", err)
		}
		if n := count(t, m, "SELECT COUNT(*) FROM strata_revisions WHERE revision = '001'"); n != 1 {
			t.Fatalf("001 was downgraded under the half-done 002")
		}
		out, err := runCLIIn(t, url, dir, "history", "--indicate-current")
		if err != nil || !strings.Contains(out, "half-done upgrade: 1 of 2") {
			t.Fatalf("history: %v\n%s", err, out)
		}
	})
}

// TestOldProgressTable: a progress table made by an older strata (three
// columns) holding a half-done revision is upgraded in place, and the
// revision resumes where the old row says it stopped.
func TestOldProgressTable(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n"+noTx(dialect)+"-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (1);\n-- migrate:down\nDROP TABLE a;\n")
		m := open(t, url, dir)
		for _, s := range []string{
			"CREATE TABLE strata_revisions_progress (revision VARCHAR(64) NOT NULL PRIMARY KEY, direction VARCHAR(8) NOT NULL, done INTEGER NOT NULL)",
			"INSERT INTO strata_revisions_progress (revision, direction, done) VALUES ('001', 'up', 1)",
			"CREATE TABLE a (id INTEGER PRIMARY KEY)",
		} {
			if _, err := m.DB().ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		st, err := m.Status(ctx)
		if err != nil || len(st.HalfDone) != 1 || st.HalfDone[0].Done != 1 {
			t.Fatalf("status with an old progress table: %v, %+v", err, st)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatalf("resume from an old progress row: %v", err)
		}
		if n := count(t, m, "SELECT COUNT(*) FROM a"); n != 1 {
			t.Fatalf("rows in a: %d, want 1", n)
		}
		if n := count(t, m, "SELECT COUNT(*) FROM strata_revisions_progress WHERE chain IS NULL AND intent IS NULL AND fingerprint IS NULL AND total IS NULL"); n != 0 {
			t.Fatalf("progress rows left: %d", n)
		}
	})
}

// TestCaseCollidingRevisionIDs: two revision ids that differ only in case
// are refused before anything runs, naming both files.
func TestCaseCollidingRevisionIDs(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "a_first.sql", "-- strata:revision abc\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n")
		write(t, dir, "b_second.sql", "-- strata:revision ABC\n-- strata:parents abc\n-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE b;\n")
		m := open(t, url, dir)
		_, err := m.Upgrade(ctx, "head")
		if err == nil || !strings.Contains(err.Error(), "a_first.sql") || !strings.Contains(err.Error(), "b_second.sql") || !strings.Contains(err.Error(), "case") {
			t.Fatalf("upgrade with ids abc and ABC: %v, want an error naming both files", err)
		}
		var n int
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM strata_revisions").Scan(&n); err == nil {
			t.Fatalf("the version table was created (%d rows): something ran", n)
		}
	})
}
