package strata_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

const goSourceRevision = `package migrations

import "github.com/strata-go/strata"

func init() {
	strata.Register(strata.Migration{
		Revision: "002",
		Parents:  []string{"001"},
		Message:  "in go",
		Upgrade:  nil,
	})
}
`

// TestGoFromSource: with WithGoFromSource (the standalone binary), a Go
// revision the binary lacks joins the graph from its source, new
// revisions follow it, and a run that needs it stops before running
// anything, naming its file and line; without the option the binary is
// told to rebuild.
func TestGoFromSource(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, _ := testdb.Open(t, dialect)
		dir := filepath.Join(t.TempDir(), "migrations")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, "001_items.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE items (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE items;\n")
		write(t, dir, "002_in_go.go", goSourceRevision)

		// Without a database, as shell completion reads it.
		g, err := strata.ReadRevisions(strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithGoFromSource())
		if err != nil {
			t.Fatal(err)
		}
		if heads := g.Heads(); len(heads) != 1 || heads[0] != "002" {
			t.Fatalf("ReadRevisions: heads %v, want [002]", heads)
		}
		if _, err := strata.ReadRevisions(strata.WithDir(dir), strata.WithoutGlobalRegistry()); !errors.As(err, new(*strata.UnbuiltError)) {
			t.Fatalf("ReadRevisions without WithGoFromSource: %v, want an *UnbuiltError", err)
		}

		m, err := strata.New(ctx, db, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithGoFromSource())
		if err != nil {
			t.Fatal(err)
		}
		rev, err := m.NewRevision("after go")
		if err != nil {
			t.Fatal(err)
		}
		if len(rev.Parents) != 1 || rev.Parents[0] != "002" {
			t.Fatalf("new revision's parents %v, want [002]", rev.Parents)
		}
		_, err = m.Upgrade(ctx, "head")
		var gse *runner.GoSourceError
		if !errors.As(err, &gse) || len(gse.Revisions) != 1 || gse.Revisions[0].ID != "002" {
			t.Fatalf("upgrade: %v, want a *runner.GoSourceError for 002", err)
		}
		if want := filepath.Join(dir, "002_in_go.go") + ":7: revision 002 is a Go revision"; !strings.Contains(err.Error(), want) {
			t.Errorf("upgrade error does not say %q:\n%v", want, err)
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Applied) != 0 {
			t.Fatalf("upgrade ran %v before refusing", st.Applied)
		}
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatalf("upgrade to the SQL revision before the Go one: %v", err)
		}
		// The application ran the Go revision; undoing it needs the
		// application too.
		if _, _, err := m.Stamp(ctx, "002", false); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Downgrade(ctx, "base"); !errors.As(err, &gse) {
			t.Fatalf("downgrade past the Go revision: %v, want a *runner.GoSourceError", err)
		}
		if st, err = m.Status(ctx); err != nil || len(st.Applied) != 2 {
			t.Fatalf("after the refused downgrade: %+v, %v; want 001 and 002 applied", st, err)
		}
	})
}
