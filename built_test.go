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
)

// TestUnbuiltGoRevision: a Go revision written into the migrations
// directory after the binary was built is not silently ignored: every
// command that reads the revisions, and check, say the binary must be
// rebuilt, and migrate writes no duplicate.
func TestUnbuiltGoRevision(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := filepath.Join(t.TempDir(), "migrations")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// Files that declare no revision are no trouble.
		for name, src := range map[string]string{
			"embed.go":       "package migrations\n\nimport \"embed\"\n\n//go:embed *\nvar FS embed.FS\n",
			"broken.go":      "package migrations\n\nfunc {",
			"helper_test.go": "package migrations\n\nvar _ = strata.Migration{Revision: \"777\"}\n",
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(Todo{}), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		first, err := m.Autogenerate(ctx, "create todos")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		// The Go revision is written while this Migrator holds the graph
		// cached: it sees the new file all the same.
		gorev, err := m.NewGoRevision("by hand in go")
		if err != nil {
			t.Fatal(err)
		}
		unbuilt := func(what string, err error) {
			t.Helper()
			var ue *strata.UnbuiltError
			if !errors.As(err, &ue) {
				t.Fatalf("%s: error %v, want a *strata.UnbuiltError", what, err)
			}
			if len(ue.Revisions) != 1 || ue.Revisions[0].ID != gorev.ID || ue.Revisions[0].File != gorev.Path || !ue.NoneBuilt {
				t.Errorf("%s: %+v, want %s in %s", what, ue, gorev.ID, gorev.Path)
			}
			for _, want := range []string{filepath.Join(dir, gorev.Path) + ":", "revision " + gorev.ID, "rebuild it (go build, or go run again)", "standalone strata binary"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error does not say %q:\n%v", what, want, err)
				}
			}
		}
		_, err = m.Upgrade(ctx, "head")
		unbuilt("upgrade", err)
		_, err = m.Status(ctx)
		unbuilt("current", err)
		unbuilt("check", m.Check(ctx))
		_, err = m.Revisions()
		unbuilt("history", err)
		// The models changed, so migrate would write a revision after the
		// first, as the Go one does: it refuses.
		m2, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(TodoV2{}), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		_, err = m2.Autogenerate(ctx, "grow todos")
		unbuilt("migrate", err)
		files, _ := filepath.Glob(filepath.Join(dir, "*_grow_todos.*"))
		if len(files) > 0 {
			t.Fatalf("migrate wrote %v", files)
		}

		// A binary that holds it (here: passed explicitly) runs it.
		built := strata.Migration{Revision: gorev.ID, Parents: []string{first.ID}, Message: "by hand in go",
			Upgrade: func(context.Context, *strata.Op) error { return nil }}
		m3, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(Todo{}), strata.WithoutGlobalRegistry(), strata.WithMigrations(built))
		if err != nil {
			t.Fatal(err)
		}
		defer m3.Close()
		res, err := m3.Upgrade(ctx, "head")
		if err != nil || len(res) != 1 || res[0].Revision.ID != gorev.ID {
			t.Fatalf("upgrade with the Go revision built in: %v, %v", res, err)
		}
		if err := m3.Check(ctx); err != nil {
			t.Fatal(err)
		}

		// A binary that holds some Go revisions but not the newest one is
		// told to rebuild, without the standalone hint.
		next, err := m3.NewGoRevision("another")
		if err != nil {
			t.Fatal(err)
		}
		_, err = m3.Upgrade(ctx, "head")
		var ue *strata.UnbuiltError
		if !errors.As(err, &ue) || ue.NoneBuilt || len(ue.Revisions) != 1 || ue.Revisions[0].ID != next.ID || strings.Contains(err.Error(), "standalone") {
			t.Fatalf("upgrade after a second Go revision: %v", err)
		}
	})
}
