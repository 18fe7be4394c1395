package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

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
			Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
				"catrev": catRevision,
			},
		})
	})
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
