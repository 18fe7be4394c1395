package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/schema"
)

// countingQuerier counts the queries that pass through it.
type countingQuerier struct {
	dialect.Querier
	queries atomic.Int64
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.queries.Add(1)
	return c.Querier.QueryContext(ctx, query, args...)
}

// TestInspectQueryCount wants the same number of queries for one table as
// for forty: inspection is set-based, never a query per table.
func TestInspectQueryCount(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	count := func() int64 {
		t.Helper()
		q := &countingQuerier{Querier: db}
		s, err := d.Inspect(context.Background(), q, dialect.InspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Tables) == 0 {
			t.Fatal("no tables")
		}
		return q.queries.Load()
	}
	mustExec(t, db, `CREATE TYPE e0 AS ENUM ('a')`, `CREATE EXTENSION pg_trgm`,
		`CREATE FUNCTION f0() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
		`CREATE TABLE t0 (id integer PRIMARY KEY, v text UNIQUE, k e0 CHECK (k <> 'a'), g integer GENERATED ALWAYS AS (id * 2) STORED)`,
		`CREATE INDEX ON t0 (lower(v)) WHERE id > 0`,
		`CREATE TRIGGER tr0 BEFORE UPDATE ON t0 FOR EACH ROW EXECUTE FUNCTION f0()`,
		`CREATE VIEW v0 AS SELECT id FROM t0`)
	one := count()
	for i := 1; i < 40; i++ {
		mustExec(t, db,
			fmt.Sprintf(`CREATE TYPE e%d AS ENUM ('a', 'b')`, i),
			fmt.Sprintf(`CREATE TABLE t%d (id serial PRIMARY KEY, p integer REFERENCES t%d DEFERRABLE, v text COLLATE "C" UNIQUE,
  k e%d CHECK (k <> 'a'), g integer GENERATED ALWAYS AS (id * 2) STORED, CHECK (id > p))`, i, i-1, i),
			fmt.Sprintf(`CREATE INDEX ON t%d USING hash (v)`, i),
			fmt.Sprintf(`CREATE INDEX ON t%d ((id + p) DESC) WHERE id > 0`, i),
			fmt.Sprintf(`CREATE VIEW v%d AS SELECT id FROM t%d`, i, i),
			fmt.Sprintf(`CREATE FUNCTION f%d(integer) RETURNS integer LANGUAGE sql AS $$ SELECT $1 $$`, i),
			fmt.Sprintf(`CREATE TRIGGER tr%d BEFORE UPDATE OF v ON t%d FOR EACH ROW EXECUTE FUNCTION f0()`, i, i),
			fmt.Sprintf(`CREATE INDEX ON t%d USING gin (v gin_trgm_ops)`, i),
			fmt.Sprintf(`COMMENT ON TABLE t%d IS 'x'`, i))
	}
	if many := count(); many != one {
		t.Errorf("inspecting 40 tables took %d queries, 1 table %d", many, one)
	}
	if one > 19 {
		t.Errorf("inspection took %d queries", one)
	}
}

// TestInspectOptions covers the schema to read and the tables to leave
// out.
func TestInspectOptions(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	ctx := context.Background()
	mustExec(t, db,
		`CREATE TABLE keep (id integer PRIMARY KEY)`,
		`CREATE TABLE strata_revisions (revision text PRIMARY KEY)`,
		`CREATE SCHEMA "Other Schema"`,
		`CREATE TABLE "Other Schema".elsewhere (id integer PRIMARY KEY, k integer REFERENCES public.keep)`,
		`CREATE TYPE public.pub AS ENUM ('p')`,
		`CREATE TYPE "Other Schema".mine AS ENUM ('m')`,
		`ALTER TABLE "Other Schema".elsewhere ADD COLUMN m "Other Schema".mine, ADD COLUMN p public.pub`,
		`CREATE VIEW "Other Schema".ov AS SELECT id FROM "Other Schema".elsewhere`,
		`CREATE VIEW public.pv AS SELECT id FROM keep`,
	)
	s, err := d.Inspect(ctx, db, dialect.InspectOptions{Exclude: []string{"strata_revisions", "pv"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "public" || len(s.Tables) != 1 || s.Tables[0].Name != "keep" || len(s.Views) != 0 || len(s.Enums) != 1 {
		t.Errorf("default schema: got %q\n%s", s.Name, dump(s))
	}

	s, err = d.Inspect(ctx, db, dialect.InspectOptions{Schema: "Other Schema"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Other Schema" || len(s.Tables) != 1 || s.Tables[0].Name != "elsewhere" {
		t.Errorf("named schema: got %q\n%s", s.Name, dump(s))
	}
	if fks := s.Tables[0].ForeignKeys; len(fks) != 1 || fks[0].RefTable != "keep" {
		t.Errorf("cross-schema foreign key: %+v", fks)
	}
	// Enum types and views are the chosen schema's; an enum of another
	// schema is a raw type, qualified as format_type prints it.
	if len(s.Enums) != 1 || s.Enums[0].Name != "mine" || len(s.Views) != 1 || s.Views[0].Name != "ov" {
		t.Errorf("named schema: enums and views\n%s", dump(s))
	}
	if c, _ := s.Tables[0].Column("m"); c == nil || c.Type != (schema.EnumType{Name: "mine"}) {
		t.Errorf("column of the schema's enum: %+v", c)
	}
	if c, _ := s.Tables[0].Column("p"); c == nil || c.Type != (schema.RawType{SQL: "pub"}) && c.Type != (schema.RawType{SQL: "public.pub"}) {
		t.Errorf("column of another schema's enum: %+v", c)
	}

	if _, err := d.Inspect(ctx, db, dialect.InspectOptions{Schema: "missing"}); err == nil || !strings.Contains(err.Error(), "no such schema") {
		t.Errorf("missing schema: err %v", err)
	}

	// Without a schema option, the connection's current_schema() is read.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	mustExec(t, conn, `SET search_path TO "Other Schema", public`)
	s, err = d.Inspect(ctx, conn, dialect.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Other Schema" || len(s.Tables) != 1 {
		t.Errorf("search_path schema: got %q\n%s", s.Name, dump(s))
	}
	mustExec(t, conn, `SET search_path TO nowhere`)
	if _, err := d.Inspect(ctx, conn, dialect.InspectOptions{}); err == nil {
		t.Errorf("no current schema: want an error")
	}

	// An empty schema inspects as no tables.
	mustExec(t, db, `CREATE SCHEMA bare`)
	if s, err := d.Inspect(ctx, db, dialect.InspectOptions{Schema: "bare"}); err != nil || len(s.Tables) != 0 {
		t.Errorf("empty schema: %v, %v", s, err)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	var num string
	if err := db.QueryRowContext(context.Background(), "SELECT current_setting('server_version_num')").Scan(&num); err != nil {
		t.Fatal(err)
	}
	if strconv.Itoa(d.ServerVersion()) != num {
		t.Errorf("ServerVersion %d, server says %s", d.ServerVersion(), num)
	}
	if d.Name() != "postgres" || !d.Capabilities().TransactionalDDL {
		t.Errorf("Name %q, Capabilities %+v", d.Name(), d.Capabilities())
	}
	if _, err := postgres.Open("mysql://x"); err == nil {
		t.Errorf("Open accepted a mysql URL")
	}
}

// TestQuoteIdent creates objects with awkward names through QuoteIdent
// and wants the server to store them unchanged.
func TestQuoteIdent(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	names := []string{"select", "Mixed Case", `a"b`, `"`, "with space", "Übergröße", "semi;colon", "x'y", `back\slash`}
	for i, name := range names {
		mustExec(t, db, fmt.Sprintf("CREATE TABLE %s (%s integer)", d.QuoteIdent(name), d.QuoteIdent(name+strconv.Itoa(i))))
	}
	s := inspect(t, d, db)
	for i, name := range names {
		column(t, s, name, name+strconv.Itoa(i))
	}
	if len(s.Tables) != len(names) {
		t.Errorf("%d tables, want %d", len(s.Tables), len(names))
	}
}
