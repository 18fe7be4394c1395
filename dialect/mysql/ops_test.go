package mysql_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var opsSetup = []string{
	"CREATE TABLE owners (id INT PRIMARY KEY)",
	"INSERT INTO owners VALUES (1), (2)",
	`CREATE TABLE items (
		id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		name VARCHAR(50) NOT NULL,
		qty INT NULL,
		note VARCHAR(20) NULL,
		extra INT NULL DEFAULT 4,
		owner_id INT NULL,
		UNIQUE INDEX uq_name (name),
		INDEX ix_note_qty (note, qty),
		INDEX ix_owner (owner_id),
		CONSTRAINT fk_owner FOREIGN KEY (owner_id) REFERENCES owners (id))`,
	"INSERT INTO items (name, qty, note, owner_id) VALUES ('a', 1, 'x', 1), ('b', NULL, NULL, 2), ('c', 3, 'z', NULL)",
}

func column(t *testing.T, s *schema.Schema, table, name string) *schema.Column {
	t.Helper()
	tb, ok := s.Table(table)
	if !ok {
		t.Fatalf("no table %q", table)
	}
	c, ok := tb.Column(name)
	if !ok {
		t.Fatalf("no column %q.%q", table, name)
	}
	return c.Clone()
}

func index(t *testing.T, s *schema.Schema, table, name string) *schema.Index {
	t.Helper()
	tb, _ := s.Table(table)
	ix, ok := tb.Index(name)
	if !ok {
		t.Fatalf("no index %q on %q", name, table)
	}
	return ix
}

// TestOps applies each op to a table holding rows, checks the schema
// against op.Apply followed by Canonical and the rows against what the op
// promises, then applies the op's inverse and checks the schema again:
// back to the original unless the case says why not.
func TestOps(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		op    func(t *testing.T, s *schema.Schema) op.Op
		stmts int // number of statements rendered, 0 for any
		rows  map[string]int64
		// notRestored says why the inverse does not give back the
		// original schema; the schema is then checked against op.Apply.
		notRestored string
	}{
		{
			name: "add not null column with backfill",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.AddColumn{Table: "items", Column: &schema.Column{Name: "active", Type: schema.BoolType{}}, Backfill: schema.Literal{SQL: "false"}}
			},
			stmts: 3,
			rows: map[string]int64{
				"SELECT COUNT(*) FROM items":                  3,
				"SELECT COUNT(*) FROM items WHERE active = 0": 3,
			},
		},
		{
			name: "add not null column with default and backfill",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				c := &schema.Column{Name: "status", Type: schema.StringType{Size: 10}, Default: schema.Literal{SQL: "'new'"}}
				return op.AddColumn{Table: "items", Column: c, Backfill: schema.Literal{SQL: "'old'"}}
			},
			stmts: 3,
			rows: map[string]int64{
				// MySQL fills existing rows with the default when it adds
				// the column, before the backfill runs.
				"SELECT COUNT(*) FROM items WHERE status = 'new'": 3,
			},
		},
		{
			name: "add nullable column",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				c := &schema.Column{Name: "seen_at", Type: schema.TimeType{Kind: schema.Timestamp, Precision: 6}, Nullable: true}
				return op.AddColumn{Table: "items", Column: c, Backfill: schema.Literal{SQL: "'2020-01-01'"}}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM items WHERE seen_at IS NULL": 3},
		},
		{
			name: "set not null with backfill",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "qty")
				to := from.Clone()
				to.Nullable = false
				return op.AlterColumn{Table: "items", From: from, To: to, Backfill: schema.Literal{SQL: "0"}}
			},
			stmts: 2,
			rows: map[string]int64{
				"SELECT COUNT(*) FROM items WHERE qty = 0":     1,
				"SELECT SUM(qty) FROM items":                   4,
				"SELECT COUNT(*) FROM items WHERE qty IS NULL": 0,
			},
		},
		{
			name: "change types",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "name")
				to := from.Clone()
				to.Type = schema.StringType{Size: 200}
				to.Comment = "longer"
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM items WHERE name IN ('a', 'b', 'c')": 3},
		},
		{
			name: "widen integer and set default",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "qty")
				to := from.Clone()
				to.Type = schema.IntegerType{Bits: 64, Unsigned: true}
				to.Default = schema.Literal{SQL: "10"}
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			rows: map[string]int64{"SELECT SUM(qty) FROM items": 4},
		},
		{
			name: "drop column",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropColumn{Table: "items", Column: column(t, s, "items", "extra")}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM items": 3},
		},
		{
			name: "drop column of a multi-column index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropColumn{Table: "items", Column: column(t, s, "items", "qty")}
			},
			stmts:       1,
			rows:        map[string]int64{"SELECT COUNT(*) FROM items": 3},
			notRestored: "the index the column was part of goes with it, and adding the column back does not recreate it",
		},
		{
			name: "create index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.CreateIndex{Table: "items", Index: &schema.Index{Name: "ix_qty_name", Parts: schema.Columns("qty", "name")}}
			},
			stmts: 1,
		},
		{
			name: "create unique index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.CreateIndex{Table: "items", Index: &schema.Index{Name: "uq_note", Parts: schema.Columns("note"), Unique: true}}
			},
			stmts: 1,
		},
		{
			name: "drop index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropIndex{Table: "items", Index: index(t, s, "items", "uq_name")}
			},
			stmts: 1,
		},
		{
			name: "drop the index of a foreign key",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropIndex{Table: "items", Index: index(t, s, "items", "ix_owner")}
			},
			stmts:       1,
			notRestored: "the index kept for the foreign key is an ordinary one, which the server does not drop when the inverse recreates ix_owner",
		},
		{
			name: "execute",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.Execute{SQL: "UPDATE items SET qty = 7 WHERE name = 'b'", Down: "UPDATE items SET qty = NULL WHERE name = 'b'", Dialect: "mysql"}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT qty FROM items WHERE name = 'b'": 7},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, d := fresh(t)
			mustExec(t, db, opsSetup...)
			original := inspect(t, d, db)
			o := tc.op(t, original.Clone())

			stmts := apply(t, d, db, original, o)
			if tc.stmts > 0 && len(stmts) != tc.stmts {
				t.Errorf("rendered %d statements, want %d:\n%s", len(stmts), tc.stmts, strings.Join(stmts, "\n"))
			}
			for q, want := range tc.rows {
				if got := queryInt(t, db, q); got != want {
					t.Errorf("%s = %d, want %d", q, got, want)
				}
			}
			after := inspect(t, d, db)
			diffSchemas(t, "after "+o.String(), after, expectApply(t, d, original, o))

			inv, err := o.Inverse()
			if err != nil {
				t.Fatal(err)
			}
			apply(t, d, db, after, inv)
			back := inspect(t, d, db)
			diffSchemas(t, "after inverse, against op.Apply", back, expectApply(t, d, after, inv))
			if tc.notRestored == "" {
				diffSchemas(t, "after inverse, against the original", back, original)
			} else if len(schema.Differences(original, back)) == 0 {
				t.Errorf("inverse restored the original, but the case says it cannot: %s", tc.notRestored)
			}
			if got := queryInt(t, db, "SELECT COUNT(*) FROM items"); got != 3 {
				t.Errorf("%d rows after the inverse, want 3", got)
			}
		})
	}
}

// expectApply follows o on a copy of s and canonicalizes the result.
func expectApply(t *testing.T, d *mysql.Dialect, s *schema.Schema, o op.Op) *schema.Schema {
	t.Helper()
	want := s.Clone()
	if err := o.Apply(want); err != nil {
		t.Fatal(err)
	}
	d.Canonical(want)
	return want
}

func TestRenderStatements(t *testing.T) {
	t.Parallel()
	d := &mysql.Dialect{}
	items := &schema.Table{
		Name: "it`ems",
		Columns: []*schema.Column{
			{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true},
			{Name: "done", Type: schema.BoolType{}, Default: schema.Literal{SQL: "false"}, Comment: "it's done"},
		},
		PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
	}
	cases := []struct {
		name string
		op   op.Op
		want []string
	}{
		{"create table", op.CreateTable{Table: items}, []string{
			"CREATE TABLE `it``ems` (\n  `id` BIGINT NOT NULL AUTO_INCREMENT,\n  `done` TINYINT(1) NOT NULL DEFAULT false COMMENT 'it''s done',\n  PRIMARY KEY (`id`)\n)",
		}},
		{"drop table", op.DropTable{Table: items}, []string{"DROP TABLE `it``ems`"}},
		{"add column with backfill", op.AddColumn{Table: "t", Column: &schema.Column{Name: "c", Type: schema.BoolType{}}, Backfill: schema.Literal{SQL: "false"}}, []string{
			"ALTER TABLE `t` ADD COLUMN `c` TINYINT(1) NULL",
			"UPDATE `t` SET `c` = false WHERE `c` IS NULL",
			"ALTER TABLE `t` MODIFY COLUMN `c` TINYINT(1) NOT NULL",
		}},
		{"alter column with backfill", op.AlterColumn{Table: "t",
			From:     &schema.Column{Name: "c", Type: schema.StringType{}, Nullable: true},
			To:       &schema.Column{Name: "c", Type: schema.StringType{Size: 9}, Default: schema.Expr{SQL: "uuid()"}},
			Backfill: schema.Literal{SQL: "'x'"}}, []string{
			"UPDATE `t` SET `c` = 'x' WHERE `c` IS NULL",
			"ALTER TABLE `t` MODIFY COLUMN `c` VARCHAR(9) NOT NULL DEFAULT (uuid())",
		}},
		{"drop index", op.DropIndex{Table: "t", Index: &schema.Index{Name: "ix"}}, []string{"DROP INDEX `ix` ON `t`"}},
		{"execute for mysql", op.Execute{SQL: "SELECT 1", Dialect: "mysql"}, []string{"SELECT 1"}},
		{"execute for any", op.Execute{SQL: "SELECT 2"}, []string{"SELECT 2"}},
		{"execute for postgres", op.Execute{SQL: "SELECT 3", Dialect: "postgres"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Render(nil, tc.op)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestInspectQueryCount checks that Inspect runs the same number of
// queries for one table as for many, and leaves out excluded tables and
// views.
func TestInspectQueryCount(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	count := func() (int, *schema.Schema) {
		c := &countingQuerier{db: db}
		s, err := d.Inspect(context.Background(), c, dialectOptions("strata_revisions"))
		if err != nil {
			t.Fatal(err)
		}
		return c.n, s
	}
	mustExec(t, db, "CREATE TABLE a0 (id INT PRIMARY KEY)", "CREATE TABLE strata_revisions (r INT)", "CREATE VIEW v AS SELECT id FROM a0")
	one, s := count()
	if len(s.Tables) != 1 || s.Tables[0].Name != "a0" {
		t.Errorf("inspected %d tables, want only a0", len(s.Tables))
	}
	for _, n := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"} {
		mustExec(t, db, "CREATE TABLE "+n+" (id INT PRIMARY KEY, x INT, INDEX (x), FOREIGN KEY (x) REFERENCES a0 (id))")
	}
	many, s := count()
	if len(s.Tables) != 9 {
		t.Errorf("inspected %d tables, want 9", len(s.Tables))
	}
	if one != many {
		t.Errorf("%d queries for 1 table, %d for 9", one, many)
	}

	// InspectOptions.Schema reads another database than the connection's.
	var name string
	if err := db.QueryRowContext(context.Background(), "SELECT DATABASE()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	elsewhere, _ := fresh(t)
	other, err := d.Inspect(context.Background(), elsewhere, dialect.InspectOptions{Schema: name})
	if err != nil {
		t.Fatal(err)
	}
	diffSchemas(t, "inspected through another database", other, inspect(t, d, db))
	if s := inspect(t, d, elsewhere); len(s.Tables) != 0 {
		t.Errorf("the other database has %d tables, want 0", len(s.Tables))
	}
}

type countingQuerier struct {
	db *sql.DB
	n  int
}

func (c *countingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n++
	return c.db.ExecContext(ctx, query, args...)
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n++
	return c.db.QueryContext(ctx, query, args...)
}
