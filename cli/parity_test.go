package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/cli"
	"github.com/strata-go/strata/internal/testdb"
)

// TestXReachesGoMigrations: `-x key=value` on the command line reaches a
// Go migration's op.X, in upgrade and in upgrade --sql, and a Go
// migration written by `revision --go` records --branch-label and
// --depends-on.
func TestXReachesGoMigrations(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		mig := strata.Migration{
			Revision: "x1",
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				name, ok := op.X("table")
				if !ok {
					return errors.New("no -x table=NAME given")
				}
				op.CreateTable(name, strata.Column("id", strata.BigInt).PrimaryKey())
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error {
				name, _ := op.X("table")
				op.DropTable(name)
				return nil
			},
		}
		// An empty strata.toml: the flags say everything (a --config that
		// does not exist is an error).
		if err := os.WriteFile(filepath.Join(dir, "none.toml"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		run := func(args ...string) (string, error) {
			cmd := cli.New(cli.WithOptions(strata.WithoutGlobalRegistry(), strata.WithMigrations(mig)))
			var out bytes.Buffer
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			cmd.SetArgs(append([]string{"--database", url, "--dir", dir, "--config", filepath.Join(dir, "none.toml")}, args...))
			err := cmd.ExecuteContext(context.Background())
			return out.String(), err
		}
		if out, err := run("upgrade", "--sql", "-x", "table=tenant_b"); err != nil || !strings.Contains(out, "tenant_b") {
			t.Fatalf("upgrade --sql -x table=tenant_b: %v\n%s", err, out)
		}
		if out, err := run("upgrade"); err == nil || !strings.Contains(err.Error(), "no -x table=NAME given") {
			t.Fatalf("upgrade without -x: %v\n%s", err, out)
		}
		if out, err := run("-x", "table=tenant_a", "upgrade"); err != nil {
			t.Fatalf("upgrade -x table=tenant_a: %v\n%s", err, out)
		}
		m, err := strata.Open(context.Background(), url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithMigrations(mig))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		s, err := m.Inspect(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Table("tenant_a"); !ok {
			t.Fatal("upgrade -x table=tenant_a did not create tenant_a")
		}
		if out, err := run("downgrade", "base", "-x", "table=tenant_a"); err != nil {
			t.Fatalf("downgrade: %v\n%s", err, out)
		}
		// revision --go records labels and dependencies in the Go form.
		if out, err := run("revision", "--go", "-m", "go side", "--rev-id", "g1", "--head", "x1", "--branch-label", "gside", "--depends-on", "x1"); err != nil {
			t.Fatalf("revision --go: %v\n%s", err, out)
		}
		src, err := os.ReadFile(filepath.Join(dir, "g1_go_side.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`BranchLabels: []string{"gside"}`, `DependsOn: []string{"x1"}`, `Parents:  []string{"x1"}`} {
			if !strings.Contains(string(src), want) {
				t.Errorf("the Go revision lacks %s:\n%s", want, src)
			}
		}
	})
}
