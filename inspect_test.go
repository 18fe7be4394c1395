package strata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
)

// TestInspectSQLRoundTrip: the SQL form of inspect, applied to an empty
// database of the same dialect, gives the same schema back.
func TestInspectSQLRoundTrip(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		src, srcURL := testdb.Open(t, dialect)
		ddl := []string{
			"CREATE TABLE authors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL DEFAULT 'anon', born DATE)",
			"CREATE TABLE books (id INTEGER NOT NULL PRIMARY KEY, author_id INTEGER NOT NULL, title VARCHAR(200), price DECIMAL(8,2) DEFAULT 0, FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE)",
			"CREATE UNIQUE INDEX ux_books_title ON books (author_id, title)",
		}
		for _, s := range ddl {
			if _, err := src.ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		m, err := strata.Open(ctx, srcURL, strata.WithDir(t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		var out bytes.Buffer
		if err := m.WriteSchema(ctx, &out, "sql"); err != nil {
			t.Fatal(err)
		}
		stmts, err := revision.Split(out.String(), 1)
		if err != nil {
			t.Fatal(err)
		}
		dst, dstURL := testdb.Open(t, dialect)
		for _, s := range stmts {
			if _, err := dst.ExecContext(ctx, s.SQL); err != nil {
				t.Fatalf("apply %q: %v", s.SQL, err)
			}
		}
		m2, err := strata.Open(ctx, dstURL, strata.WithDir(t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		a, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m2.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(a, b); d != "" {
			t.Fatalf("inspect --format sql does not round-trip:\n%s\n%s", d, out.String())
		}
		out.Reset()
		if err := m.WriteSchema(ctx, &out, "json"); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Tables []struct {
				Name string `json:"name"`
			} `json:"tables"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Tables) != 2 {
			t.Fatalf("json: %v, %+v", err, doc)
		}
	})
}

// TestInspectPostgresSchema: a chosen PostgreSQL schema is inspected
// instead of public.
func TestInspectPostgresSchema(t *testing.T) {
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	db, url := testdb.Open(t, "postgres")
	for _, s := range []string{"CREATE SCHEMA sales", "CREATE TABLE sales.orders (id bigint PRIMARY KEY)", "CREATE TABLE public.other (id bigint PRIMARY KEY)"} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	m, err := strata.Open(ctx, url, strata.WithDir(t.TempDir()), strata.WithDatabaseSchema("sales"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	s, err := m.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 1 || s.Tables[0].Name != "orders" || s.Name != "sales" {
		t.Fatalf("schema sales: name %q, tables %v", s.Name, s.Tables)
	}
}
