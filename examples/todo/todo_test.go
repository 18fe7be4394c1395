package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// binDir holds the binaries the scripts run: strata, todo (the example as
// it is) and todo2 (the example with testdata/v2/models.go, the model
// after a user adds Completed).
var binDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "strata-todo-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	if err := buildBinaries(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	testdb.Report()
	return code
}

func buildBinaries(dir string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	overlay := map[string]map[string]string{"Replace": {
		filepath.Join(wd, "models.go"): filepath.Join(wd, "testdata", "v2", "models.go"),
	}}
	overlayFile := filepath.Join(dir, "overlay.json")
	data, _ := json.Marshal(overlay)
	if err := os.WriteFile(overlayFile, data, 0o644); err != nil {
		return err
	}
	builds := [][]string{
		{"build", "-o", filepath.Join(dir, "strata"), "../../cmd/strata"},
		{"build", "-o", filepath.Join(dir, "todo"), "."},
		{"build", "-overlay", overlayFile, "-o", filepath.Join(dir, "todo2"), "."},
	}
	for _, args := range builds {
		cmd := exec.Command("go", args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// TestTodoFlow runs the walking skeleton end to end with the built
// binaries, once per dialect: init, migrate, upgrade, current, history,
// a new NOT NULL column over existing rows, downgrade and back.
func TestTodoFlow(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		testscript.Run(t, testscript.Params{
			Dir: "testdata/script",
			Setup: func(env *testscript.Env) error {
				env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
				env.Setenv("DIALECT", dialect)
				env.Setenv("NODB", unreachableURL(dialect))
				if dialect == "sqlite" {
					// The embedded default, sqlite:app.db in the working
					// directory, is what a newcomer gets.
					env.Setenv("DB", "sqlite:app.db")
					return nil
				}
				u, drop, err := testdb.Create(dialect)
				if err != nil {
					return err
				}
				env.Defer(func() {
					if err := drop(); err != nil {
						env.T().Log(err)
					}
				})
				env.Setenv("DB", u)
				env.Setenv("DATABASE_URL", u)
				return nil
			},
			// [sqlite], [postgres], [mysql]: the dialect of this run.
			Condition: func(cond string) (bool, error) {
				switch cond {
				case "sqlite", "postgres", "mysql":
					return cond == dialect, nil
				}
				return false, fmt.Errorf("unknown condition %q", cond)
			},
			Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
				"catrev":    catRevision,
				"fillrev":   fillRevision,
				"jsonfield": jsonField,
				"sql":       execSQL,
			},
		})
	})
}

// fillRevision writes args[1] as the upgrade and args[2] as the downgrade
// of the revision file whose name contains args[0] (as `strata revision`
// wrote it, with empty sections).
func fillRevision(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: fillrev NAME-PART UP-SQL DOWN-SQL")
	}
	matches, err := filepath.Glob(ts.MkAbs(filepath.Join("migrations", "*"+args[0]+"*.sql")))
	ts.Check(err)
	if len(matches) != 1 {
		ts.Fatalf("fillrev %s: want one revision file, found %d", args[0], len(matches))
	}
	data, err := os.ReadFile(matches[0])
	ts.Check(err)
	text := strings.Replace(string(data), "-- migrate:up\n", "-- migrate:up\n"+args[1]+"\n", 1)
	text = strings.Replace(text, "-- migrate:down\n", "-- migrate:down\n"+args[2]+"\n", 1)
	ts.Check(os.WriteFile(matches[0], []byte(text), 0o644))
}

// jsonField checks the last command's standard output, which must be
// exactly one JSON object (as every --json run prints), at a path:
// `jsonfield PATH REGEXP` fails unless the value at PATH, a string as it
// is and anything else as compact JSON, matches ^REGEXP$ (. matches a
// newline too). PATH is dotted
// names and array indexes (results.0.revision.id); a final # stands for
// the length of the array or object ('results.#', quoted, as a bare #
// starts a comment). With !, the value must not match; a missing path
// fails either way.
func jsonField(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: jsonfield PATH REGEXP")
	}
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile("stdout")))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	if _, ok := v.(map[string]any); !ok {
		ts.Fatalf("stdout is JSON but not an object")
	}
	if dec.More() {
		ts.Fatalf("stdout holds more than one JSON value")
	}
	for _, step := range strings.Split(args[0], ".") {
		switch x := v.(type) {
		case map[string]any:
			if step == "#" {
				v = json.Number(strconv.Itoa(len(x)))
				continue
			}
			next, ok := x[step]
			if !ok {
				ts.Fatalf("jsonfield %s: no member %q", args[0], step)
			}
			v = next
		case []any:
			if step == "#" {
				v = json.Number(strconv.Itoa(len(x)))
				continue
			}
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(x) {
				ts.Fatalf("jsonfield %s: no element %q in an array of %d", args[0], step, len(x))
			}
			v = x[i]
		default:
			ts.Fatalf("jsonfield %s: %q is below a %T", args[0], step, v)
		}
	}
	got, ok := v.(string)
	if !ok {
		data, err := json.Marshal(v)
		ts.Check(err)
		got = string(data)
	}
	re, err := regexp.Compile("^(?s:" + args[1] + ")$")
	ts.Check(err)
	switch {
	case re.MatchString(got) && neg:
		ts.Fatalf("jsonfield %s: %q matches %q", args[0], got, args[1])
	case !re.MatchString(got) && !neg:
		ts.Fatalf("jsonfield %s: got %q, want %q", args[0], got, args[1])
	}
	ts.Logf("%s = %s", args[0], got)
}

// catRevision prints the revision file whose name contains args[0], so a
// script can match its content with stdout.
func catRevision(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: catrev NAME-PART")
	}
	matches, err := filepath.Glob(ts.MkAbs(filepath.Join("migrations", "*"+args[0]+"*.sql")))
	ts.Check(err)
	if len(matches) != 1 {
		ts.Fatalf("catrev %s: want one revision file, found %d", args[0], len(matches))
	}
	data, err := os.ReadFile(matches[0])
	ts.Check(err)
	ts.Stdout().Write(data)
}

// TestConcurrentUpgrade starts 8 strata processes at once on the same
// database: every process exits 0 and every revision runs exactly once.
// Then 8 processes downgrade to the first revision at once: each
// downgrade runs exactly once too.
func TestConcurrentUpgrade(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		const revisions = 6
		for i := 1; i <= revisions; i++ {
			var b strings.Builder
			fmt.Fprintf(&b, "-- strata:revision %03d\n", i)
			if i > 1 {
				fmt.Fprintf(&b, "-- strata:parents %03d\n", i-1)
			}
			b.WriteString("-- migrate:up\n")
			if i == 1 {
				b.WriteString("CREATE TABLE runs (n INTEGER NOT NULL);\n")
			} else {
				fmt.Fprintf(&b, "CREATE TABLE t%d (id INTEGER PRIMARY KEY);\n", i)
			}
			fmt.Fprintf(&b, "INSERT INTO runs (n) VALUES (%d);\n-- migrate:down\n", i)
			if i == 1 {
				b.WriteString("DROP TABLE runs;\n")
			} else {
				fmt.Fprintf(&b, "DROP TABLE t%d;\nINSERT INTO runs (n) VALUES (%d);\n", i, -i)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.sql", i)), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		const procs = 8
		all := func(args ...string) {
			errs := make(chan error, procs)
			start := make(chan struct{})
			for range procs {
				go func() {
					<-start
					cmd := exec.Command(filepath.Join(binDir, "strata"), append(args, "--dir", dir, "--database", url)...)
					out, err := cmd.CombinedOutput()
					if err != nil {
						err = fmt.Errorf("%v\n%s", err, out)
					}
					errs <- err
				}()
			}
			close(start)
			for range procs {
				if err := <-errs; err != nil {
					t.Errorf("a concurrent %s failed: %v", args[0], err)
				}
			}
		}
		all("upgrade", "head")
		db, err := strata.OpenDB(url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var runs, distinct, versions int
		if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT n) FROM runs").Scan(&runs, &distinct); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT COUNT(*) FROM strata_revisions").Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if runs != revisions || distinct != revisions || versions != revisions {
			t.Fatalf("after %d concurrent upgrades: %d runs (%d distinct), %d version rows; want %d each", procs, runs, distinct, versions, revisions)
		}

		all("downgrade", "001")
		if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT n) FROM runs WHERE n < 0").Scan(&runs, &distinct); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT COUNT(*) FROM strata_revisions").Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if runs != revisions-1 || distinct != revisions-1 || versions != 1 {
			t.Fatalf("after %d concurrent downgrades: %d downgrade runs (%d distinct), %d version rows; want %d, %d and 1", procs, runs, distinct, versions, revisions-1, revisions-1)
		}
	})
}
