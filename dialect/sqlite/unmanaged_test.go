package sqlite_test

import (
	"context"
	"slices"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// TestInspectUnmanaged lists what strata does not model: virtual tables
// and their shadow tables; STRICT and WITHOUT ROWID tables are modelled,
// and an excluded table's objects go with it.
func TestInspectUnmanaged(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db,
		`CREATE TABLE plain (id INTEGER PRIMARY KEY)`,
		`CREATE VIRTUAL TABLE docs USING fts5(body)`,
		`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID`,
		`CREATE TABLE typed (id INTEGER PRIMARY KEY, n INT) STRICT`,
		`CREATE TABLE hidden (k TEXT PRIMARY KEY) WITHOUT ROWID`)
	s, err := d.Inspect(context.Background(), db, dialect.InspectOptions{Exclude: []string{"hidden"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []schema.Unmanaged{
		{Kind: "shadow table", Name: "docs_config"},
		{Kind: "shadow table", Name: "docs_content"},
		{Kind: "shadow table", Name: "docs_data"},
		{Kind: "shadow table", Name: "docs_docsize"},
		{Kind: "shadow table", Name: "docs_idx"},
		{Kind: "virtual table", Name: "docs"},
	}
	if !slices.Equal(s.Unmanaged, want) {
		t.Errorf("Unmanaged:\n got %v\nwant %v", s.Unmanaged, want)
	}
	// A plain schema has none.
	db2, _ := open(t)
	exec(t, db2, `CREATE TABLE plain (id INTEGER PRIMARY KEY)`)
	if s := inspect(t, d, db2); len(s.Unmanaged) != 0 {
		t.Errorf("Unmanaged of a plain schema: %v", s.Unmanaged)
	}
}
