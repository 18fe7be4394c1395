package strata_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// TestGoColumnPlacement: a Go migration places the columns it adds (After,
// First), and its downgrade drops them; on MySQL the columns land in place,
// elsewhere ADD COLUMN puts them at the end (SQLite rebuilds the table to
// place them).
func TestGoColumnPlacement(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_create.sql", baseRevision)
		placed := strata.Migration{
			Revision: "002", Parents: []string{"001"}, Message: "go: placed columns",
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.AddColumn("todos", strata.Column("rank", strata.Integer).Null().After("id"))
				op.AddColumn("todos", strata.Column("tag", strata.Varchar(10)).Null().First())
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error {
				op.DropColumn("todos", "tag")
				op.DropColumn("todos", "rank")
				return nil
			},
		}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(placed), strata.WithoutGlobalRegistry(), strata.WithForce())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		s, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		todos, _ := s.Table("todos")
		var names []string
		for _, c := range todos.Columns {
			names = append(names, c.Name)
		}
		want := "tag,id,rank,description"
		if dialect == "postgres" {
			want = "id,description,rank,tag"
		}
		if got := strings.Join(names, ","); got != want {
			t.Errorf("columns %s, want %s", got, want)
		}
		if _, err := m.Downgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
	})
}
