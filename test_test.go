package strata_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

func TestTestRevisions(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE todos (id BIGINT NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL);\n-- migrate:down\nDROP TABLE todos;\n")
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(AssignedTodo{}), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		rep, err := m.Test(ctx)
		if err != nil || len(rep.Revisions) != 1 || !rep.Revisions[0].OK || rep.ModelsMatch == nil || !*rep.ModelsMatch {
			t.Fatalf("test of a sound revision: %v, %+v", err, rep)
		}
		// A downgrade that leaves a table behind is named, with the difference.
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE extra (id INTEGER PRIMARY KEY);\nCREATE TABLE extra2 (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE extra;\n")
		rep, err = m.Test(ctx)
		if !errors.Is(err, strata.ErrTestFailed) || rep.Failed != "002" || !strings.Contains(err.Error(), `table "extra2"`) {
			t.Fatalf("test of a broken downgrade: %v, %+v", err, rep)
		}
		// The target database was never touched.
		s, err := m.Inspect(ctx)
		if err != nil || len(s.Tables) != 0 {
			t.Fatalf("the target database has %d tables (%v)", len(s.Tables), err)
		}
		// Two heads are reported before anything runs.
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
		write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 001\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
		if _, err := m.Test(ctx); !errors.Is(err, strata.ErrTestFailed) || !strings.Contains(err.Error(), "002, 003") {
			t.Fatalf("test with two heads: %v", err)
		}
	})
}

// AssignedTodo has a key the application assigns.
type AssignedTodo struct {
	ID          int64  `db:"id" strata:"pk,autoincrement:false"`
	Description string `db:"description" strata:"size:200"`
}

func (AssignedTodo) TableName() string { return "todos" }
