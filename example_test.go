package strata_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing/fstest"

	"github.com/strata-go/strata"
)

// Revisions compiled into the binary (an embed.FS in a real application)
// run at start-up.
func ExampleMigrator_Upgrade() {
	ctx := context.Background()
	migrations := fstest.MapFS{
		"001_create_todos.sql": {Data: []byte(`-- strata:revision 001
-- strata:message create todos
-- migrate:up
CREATE TABLE todos (id INTEGER PRIMARY KEY, description TEXT NOT NULL);
-- migrate:down
DROP TABLE todos;
`)},
	}
	m, err := strata.Open(ctx, "sqlite::memory:", strata.WithFS(migrations),
		strata.WithLogger(slog.New(slog.DiscardHandler)), strata.WithoutGlobalRegistry())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	results, err := m.Upgrade(ctx, "head")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Println("applied", r.Revision.ID, r.Revision.Message)
	}
	// Output: applied 001 create todos
}

// A Go migration next to SQL files: the same ops run on every dialect.
func ExampleMigration() {
	ctx := context.Background()
	m, err := strata.Open(ctx, "sqlite::memory:", strata.WithFS(fstest.MapFS{}), strata.WithoutGlobalRegistry(),
		strata.WithMigrations(strata.Migration{
			Revision: "001", Message: "create lists",
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.CreateTable("lists",
					strata.Column("id", strata.BigInt).PrimaryKey().AutoIncrement(),
					strata.Column("name", strata.Varchar(100)).Unique())
				op.BulkInsert("lists", []string{"name"}, []any{"home"}, []any{"work"})
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error {
				op.DropTable("lists")
				return nil
			},
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		fmt.Println(err)
		return
	}
	var n int
	if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM lists").Scan(&n); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "lists")
	// Output: 2 lists
}
