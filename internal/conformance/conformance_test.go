package conformance

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/internal/testdb"
)

// corpusDir returns the sqldef corpus, or skips the test when it is not
// there (it lives outside the repository).
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("STRATA_CONFORMANCE_CORPUS")
	if dir == "" {
		dir = DefaultCorpus()
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("no sqldef corpus at %q (set STRATA_CONFORMANCE_CORPUS): the conformance harness reads it from outside the repository", dir)
	}
	return dir
}

// TestHarness runs the whole SQLite corpus and the first cases of each
// server dialect in both modes, and checks that a report comes out. It
// asserts nothing about pass rates: those move as the dialects grow, and
// docs/conformance.md records them.
func TestHarness(t *testing.T) {
	dir := corpusDir(t)
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			testdb.Skip(t, d)
			cases, err := Load(dir, d)
			if err != nil {
				t.Fatal(err)
			}
			if len(cases) == 0 {
				t.Fatalf("no %s cases in %s", d, dir)
			}
			// Reuse (PostgreSQL only) keeps the test short and exercises the pool.
			r := &Runner{Dialect: d, Parallel: 2, Timeout: time.Minute, Reuse: true}
			if d != "sqlite" {
				// A sample: the first six cases that run in both modes.
				srv, err := r.Server(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				var sample []*Case
				for _, c := range cases {
					if ok, _ := Eligible(c, srv, ModeConverge); ok && len(Skip(d, c.Current, c.Desired)) == 0 && len(sample) < 6 {
						sample = append(sample, c)
					}
				}
				cases = sample
			}
			var runs []*Summary
			for _, m := range Modes {
				sum, err := r.Run(context.Background(), cases, m)
				if err != nil {
					t.Fatalf("%s: %v", m, err)
				}
				if len(sum.Results) != len(cases) {
					t.Fatalf("%s: %d results for %d cases", m, len(sum.Results), len(cases))
				}
				for _, res := range sum.Results {
					if res == nil || res.Status == "" {
						t.Fatalf("%s: a case has no result", m)
					}
					if res.Status == Fail && res.Stage == StageSetup {
						t.Errorf("%s %s: the harness could not set up: %s", m, res.Case.Name, res.Message)
					}
				}
				t.Log(sum.Line())
				runs = append(runs, sum)
			}
			var buf bytes.Buffer
			if err := WriteReport(&buf, runs, ReportOptions{Command: "go test", Corpus: dir, Started: time.Now()}); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"## Summary", "| " + d + " |", "## " + d + ", roundtrip", "## " + d + ", converge"} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, buf.String())
				}
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	path := t.TempDir() + "/tests.yml"
	const yml = `# a comment
B:
  current: |
    CREATE TABLE t (a int);
  desired: |
    CREATE TABLE t (a int, b int);
  min_version: '8.0'
  flavor: "!mariadb"
A:
  desired: CREATE TABLE u (a int);
  enable_drop: false
  offline: true
`
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	cases, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].Name != "B" || cases[1].Name != "A" {
		t.Fatalf("cases not in file order: %+v", cases)
	}
	if c := cases[0]; c.MinVersion != "8.0" || c.Flavor != "!mariadb" || !strings.Contains(c.Desired, "b int") {
		t.Errorf("case B = %+v", c)
	}
	if c := cases[1]; !c.Offline || c.EnableDrop == nil || *c.EnableDrop {
		t.Errorf("case A = %+v", c)
	}
	if err := os.WriteFile(path, []byte("X:\n  desird: oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), "desird") {
		t.Errorf("unknown field: err = %v, want it named", err)
	}
}

func TestEligible(t *testing.T) {
	maria := Server{Dialect: "mysql", Version: "10.11.6-MariaDB", MariaDB: true}
	pg := Server{Dialect: "postgres", Version: "15.14 (Debian 15.14-1)"}
	tests := []struct {
		c    Case
		srv  Server
		mode Mode
		ok   bool
	}{
		{Case{}, maria, ModeConverge, true},
		{Case{Offline: true}, pg, ModeRoundTrip, false},
		{Case{Error: "x"}, pg, ModeConverge, false},
		{Case{Error: "x"}, pg, ModeRoundTrip, true},
		{Case{Flavor: "mysql"}, maria, ModeConverge, false},
		{Case{Flavor: "!mariadb"}, maria, ModeConverge, false},
		{Case{Flavor: "!tidb"}, maria, ModeConverge, true},
		{Case{Flavor: "mariadb", MinVersion: "10.0"}, maria, ModeConverge, true},
		{Case{Flavor: "mariadb", MinVersion: "11.0"}, maria, ModeConverge, false},
		{Case{MinVersion: "8.0"}, maria, ModeConverge, true},
		{Case{MinVersion: "8.0.16"}, maria, ModeConverge, false},
		{Case{MaxVersion: "5.7"}, maria, ModeConverge, true},
		{Case{MinVersion: "8.0"}, Server{Dialect: "mysql", Version: "10.11.6-MariaDB", MariaDB: true, MySQLEquivalent: "5.7"}, ModeConverge, false},
		{Case{MaxVersion: "5.7"}, Server{Dialect: "mysql", Version: "10.11.6-MariaDB", MariaDB: true, MySQLEquivalent: "8.0"}, ModeConverge, false},
		{Case{MinVersion: "8.0"}, Server{Dialect: "mysql", Version: "8.0.36"}, ModeConverge, true},
		{Case{MaxVersion: "5.7"}, Server{Dialect: "mysql", Version: "8.0.36"}, ModeConverge, false},
		{Case{MinVersion: "18.0"}, pg, ModeConverge, false},
		{Case{MinVersion: "12"}, pg, ModeConverge, true},
		{Case{MaxVersion: "15"}, pg, ModeConverge, true},
		{Case{MaxVersion: "14.0"}, pg, ModeConverge, false},
		{Case{Flavor: "pgvector"}, pg, ModeConverge, false},
		{Case{Flavor: "!pgvector"}, pg, ModeConverge, true},
	}
	for _, tt := range tests {
		if ok, why := Eligible(&tt.c, tt.srv, tt.mode); ok != tt.ok {
			t.Errorf("Eligible(%+v, %s %s, %s) = %t (%s), want %t", tt.c, tt.srv.Dialect, tt.srv.Version, tt.mode, ok, why, tt.ok)
		}
	}
}

func TestSkip(t *testing.T) {
	tests := []struct {
		sql  string
		want string
		// dialect is "postgres" unless set.
		dialect string
	}{
		{sql: "CREATE TABLE t (a int);", want: ""},
		{sql: "CREATE TABLE t (a int); CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;", want: "", dialect: "sqlite"},
		{sql: "CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", want: ""},
		{sql: "CREATE DEFINER=`root`@`%` TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;", want: "", dialect: "mysql"},
		{sql: "CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;", want: ""},
		{sql: "CREATE FUNCTION f() RETURNS int RETURN 1;", want: "functions and procedures", dialect: "mysql"},
		{sql: "CREATE EXTENSION pg_trgm;", want: ""},
		{sql: "CREATE AGGREGATE s (int) (sfunc = int4pl, stype = int);", want: "aggregates"},
		{sql: "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f();", want: "event triggers"},
		{sql: "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t;", want: "events (MySQL scheduler)", dialect: "mysql"},
		{sql: "CREATE TABLE t (a int) PARTITION BY RANGE (a);", want: "partitioned tables"},
		{sql: "CREATE VIEW v AS SELECT rank() OVER (PARTITION BY a ORDER BY lower(b)) FROM t;", want: ""},
		{sql: "CREATE TYPE mood AS ENUM ('sad', 'happy');", want: ""},
		{sql: "CREATE TYPE pair AS (a int, b int);", want: "types other than enums (composite, range, base)"},
		{sql: "COMMENT ON COLUMN t.a IS 'create trigger in a comment';", want: ""},
		{sql: "COMMENT ON INDEX i IS 'x';", want: ""},
		{sql: "COMMENT ON VIEW v IS 'x';", want: ""},
		{sql: "COMMENT ON TRIGGER tr ON t IS 'x';", want: "comments on objects other than tables, columns, indexes, constraints, types, views and functions"},
		{sql: "-- CREATE TRIGGER in a comment\nCREATE TABLE t (a int);", want: "", dialect: "mysql"},
		{sql: "CREATE TABLE t (a int DEFAULT 'GRANT');", want: ""},
		{sql: "GRANT SELECT ON t TO bob;", want: "privileges and roles"},
		{sql: "CREATE MATERIALIZED VIEW v AS SELECT 1;", want: "materialized views"},
		{sql: "CREATE SEQUENCE s;", want: "standalone sequences"},
		{sql: "CREATE TABLE t (a serial);", want: ""},
	}
	for _, tt := range tests {
		d := tt.dialect
		if d == "" {
			d = "postgres"
		}
		got := strings.Join(Skip(d, tt.sql), ", ")
		if got != tt.want {
			t.Errorf("Skip(%s, %q) = %q, want %q", d, tt.sql, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{`table "users": column "name": type varchar(255), want text`, `table …: column …: type varchar(N), want text`},
		{`ERROR: syntax error at or near "GENERATED" (SQLSTATE 42601)`, `ERROR: syntax error at or near GENERATED (SQLSTATE 42601)`},
		{`Error 1064 (42000): You have an error in your SQL syntax; check the manual near 'GENERATED ALWAYS AS (a)' at line 1`,
			`Error 1064 (42000): You have an error in your SQL syntax; check the manual near GENERATED at line N`},
		{`SQL logic error: table "USERS" already exists (1)`, `SQL logic error: table … already exists (N)`},
		{`enum "s": values ["a" "b" "c"] cannot become ["a" "d"]; enum "s": values ["a"] cannot become ["a" "d"]`, `enum …: values […] cannot become […]`},
		{`diff: table "a": pk; table "b": pk`, `diff: table …: pk`},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
