package strata_test

import (
	"context"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

type strictNote struct {
	ID   int64  `db:"id" strata:"pk"`
	Body string `db:"body"`
}

func (strictNote) TableName() string { return "notes" }

type rowidlessPair struct {
	K string `db:"k" strata:"pk"`
	V int64  `db:"v"`
}

func (rowidlessPair) TableName() string { return "pairs" }

// TestModelsKeepSQLiteTableOptions: models cannot say SQLite's STRICT or
// WITHOUT ROWID, so a table that has them matches models that otherwise
// describe it, and autogenerate leaves the options alone rather than
// rebuilding the table without them. SQLite only: the other databases
// have no such options.
func TestModelsKeepSQLiteTableOptions(t *testing.T) {
	ctx := context.Background()
	url := testdb.URL(t, "sqlite")
	db, err := strata.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		`CREATE TABLE notes (id INTEGER PRIMARY KEY NOT NULL, body TEXT NOT NULL) STRICT`,
		`CREATE TABLE pairs (k VARCHAR(255) NOT NULL PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	m := open(t, url, t.TempDir(), strictNote{}, rowidlessPair{})
	if err := m.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
}

// TestRowidKeyWithoutNotNull: a hand-made SQLite table whose key is the
// rowid alias without NOT NULL (`id INTEGER PRIMARY KEY`, as most people
// write it) matches a model's key; the alias never holds NULL, so there
// is nothing to rebuild. SQLite only: elsewhere a key is NOT NULL.
func TestRowidKeyWithoutNotNull(t *testing.T) {
	ctx := context.Background()
	url := testdb.URL(t, "sqlite")
	db, err := strata.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	m := open(t, url, t.TempDir(), strictNote{})
	if err := m.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
}
