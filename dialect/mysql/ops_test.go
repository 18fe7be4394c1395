package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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
		price INT NULL CHECK (price >= 0),
		UNIQUE INDEX uq_name (name),
		INDEX ix_note_qty (note, qty),
		INDEX ix_owner (owner_id),
		CONSTRAINT fk_owner FOREIGN KEY (owner_id) REFERENCES owners (id),
		CONSTRAINT ck_name CHECK (name <> ''),
		CONSTRAINT ck_price_max CHECK (price < 1000000))`,
	"INSERT INTO items (name, qty, note, owner_id) VALUES ('a', 1, 'x', 1), ('b', NULL, NULL, 2), ('c', 3, 'z', NULL)",
	`CREATE TABLE notes (
		id INT PRIMARY KEY,
		body VARCHAR(100) NULL,
		item_id BIGINT NULL,
		owner_id INT NULL,
		at DATETIME(6) NULL,
		raw VARBINARY(8) NULL,
		ok BOOL NULL,
		ratio DOUBLE NULL,
		INDEX ix_item (item_id))`,
	"INSERT INTO notes (id, body, item_id) VALUES (1, 'first', 1), (2, 'second', 2)",
	"CREATE VIEW owner_view AS SELECT id FROM owners WHERE id > 1",
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
		// noInverse says why the op has none; only op.Apply is checked.
		noInverse string
		// applyGap corrects what op.Apply expects where it falls short of
		// what the database must do (reported to the op package).
		applyGap func(want *schema.Schema)
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
				return op.DropColumn{Table: "items", Column: column(t, s, "items", "extra"), Position: op.PositionOf(table(t, s, "items"), "extra")}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM items": 3},
		},
		{
			name: "drop column of a multi-column index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropColumn{Table: "items", Column: column(t, s, "items", "qty"), Position: op.PositionOf(table(t, s, "items"), "qty")}
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
			notRestored: "the index kept for the foreign key shows in the inspected schema the inverse is rendered against, as an index of its own that stays (a diff drops it)",
		},
		{
			name: "rename table",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.RenameTable{From: "items", To: "goods `x`"}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM `goods ``x```": 3},
		},
		{
			name: "alter table comment and engine",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				tb, _ := s.Table("notes")
				to := tb.Attrs()
				to.Comment, to.Engine = "it's noted", "MyISAM"
				return op.AlterTable{Table: "notes", From: tb.Attrs(), To: to}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM notes": 2},
		},
		{
			name: "alter table charset and collation",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				tb, _ := s.Table("owners")
				to := tb.Attrs()
				to.Charset, to.Collation = "latin1", "latin1_bin"
				return op.AlterTable{Table: "owners", From: tb.Attrs(), To: to}
			},
			stmts: 1,
		},
		{
			name: "alter table collation only",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				tb, _ := s.Table("owners")
				to := tb.Attrs()
				to.Collation = "utf8mb4_unicode_ci"
				return op.AlterTable{Table: "owners", From: tb.Attrs(), To: to}
			},
			stmts: 1,
		},
		{
			name: "add foreign key on an indexed column",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.AddForeignKey{Table: "notes", ForeignKey: &schema.ForeignKey{Name: "fk_item", Columns: []string{"item_id"}, RefTable: "items", RefColumns: []string{"id"}, OnDelete: "CASCADE"}}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM notes": 2},
		},
		{
			name: "add foreign key on a column without index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.AddForeignKey{Table: "notes", ForeignKey: &schema.ForeignKey{Columns: []string{"owner_id"}, RefTable: "owners", RefColumns: []string{"id"}}}
			},
			stmts:       1,
			notRestored: "the index InnoDB made for the key stays when the key is dropped",
		},
		{
			name: "drop foreign key",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				tb, _ := s.Table("items")
				fk, _ := tb.ForeignKey("fk_owner")
				return op.DropForeignKey{Table: "items", ForeignKey: fk}
			},
			stmts: 1,
		},
		{
			name: "add named check",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.AddCheck{Table: "items", Check: &schema.Check{Name: "ck qty", Expr: "`qty` is null or `qty` < 1000"}}
			},
			stmts: 1,
		},
		{
			name: "add unnamed check",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				// The inverse finds the server's name for it in the schema.
				return op.AddCheck{Table: "items", Check: &schema.Check{Expr: "`extra` <> 13"}}
			},
			stmts: 1,
		},
		{
			name: "drop check",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				tb, _ := s.Table("items")
				ck, _ := tb.Check("ck_name")
				return op.DropCheck{Table: "items", Check: ck}
			},
			stmts: 1,
		},
		{
			// On MariaDB a check written on the column is the column's.
			name: "drop column-level check",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "price")
				if from.Check == "" {
					t.Fatalf("column price has no check of its own: %+v", from)
				}
				to := from.Clone()
				to.Check = ""
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			stmts: 1,
		},
		{
			name: "drop a table check beside a column-level one",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				tb, _ := s.Table("items")
				ck, _ := tb.Check("ck_price_max")
				return op.DropCheck{Table: "items", Check: ck}
			},
			stmts: 1,
		},
		{
			name: "change a column with checks",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "price")
				to := from.Clone()
				to.Type, to.Default = schema.IntegerType{Bits: 64}, schema.Literal{SQL: "5"}
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			stmts: 1,
		},
		{
			name: "drop a column with checks",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropColumn{Table: "items", Column: column(t, s, "items", "price"), Position: op.PositionOf(table(t, s, "items"), "price")}
			},
			stmts:       1,
			notRestored: "the checks on the column go with it, and adding the column back does not recreate them",
			// op.DropColumn.Apply keeps checks that refer to the dropped
			// column; no server can.
			applyGap: func(want *schema.Schema) {
				tb, _ := want.Table("items")
				tb.Checks = slices.DeleteFunc(tb.Checks, func(c *schema.Check) bool { return strings.Contains(c.Expr, "`price`") })
			},
		},
		{
			name: "drop constraint: foreign key",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropConstraint{Table: "items", Name: "fk_owner"}
			},
			stmts:     1,
			noInverse: "the op does not know the key",
		},
		{
			name: "drop constraint: check",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropConstraint{Table: "items", Name: "ck_name"}
			},
			stmts:     1,
			noInverse: "the op does not know the check",
		},
		{
			name: "drop constraint: unique index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropConstraint{Table: "items", Name: "uq_name"}
			},
			stmts:     1,
			noInverse: "the op does not know the index",
		},
		{
			name: "drop constraint: primary key",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.DropConstraint{Table: "notes", Name: "PRIMARY"}
			},
			stmts:     1,
			noInverse: "the op does not know the key",
		},
		{
			name: "create view",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.CreateView{View: &schema.View{Name: "item names", Def: "select `items`.`name` AS `name` from `items`"}}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM `item names`": 3},
		},
		{
			name: "drop view",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				v, _ := s.View("owner_view")
				return op.DropView{View: v}
			},
			stmts: 1,
		},
		{
			name: "bulk insert",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				at := time.Date(2024, 2, 29, 13, 4, 5, 123456000, time.UTC)
				return op.BulkInsert{Table: "notes", Columns: []string{"id", "body", "item_id", "at", "raw", "ok", "ratio"}, Rows: [][]any{
					{3, `it's a \ 'test'`, int64(3), at, []byte{0, 0xff}, true, 0.5},
					{4, nil, nil, nil, nil, false, float32(-1.25)},
					{uint8(5), "ünï", uint64(1), at.Add(time.Microsecond), []byte{}, nil, 1e-3},
				}}
			},
			stmts: 1,
			rows: map[string]int64{
				"SELECT COUNT(*) FROM notes": 5,
				`SELECT COUNT(*) FROM notes WHERE body = 'it''s a \\ ''test''' AND raw = X'00FF' AND ok AND ratio = 0.5`: 1,
				"SELECT COUNT(*) FROM notes WHERE at = '2024-02-29 13:04:05.123456'":                                     1,
				"SELECT COUNT(*) FROM notes WHERE id = 4 AND body IS NULL AND NOT ok AND ratio = -1.25":                  1,
				"SELECT COUNT(*) FROM notes WHERE id = 5 AND body = 'ünï' AND raw = '' AND ok IS NULL":                   1,
			},
			noInverse: "which rows to delete is the migration's business",
		},
		{
			name: "rename column",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "note")
				to := from.Clone()
				to.Name = "my note"
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT COUNT(*) FROM items WHERE `my note` = 'x'": 1},
		},
		{
			name: "rename and change a column",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "qty")
				to := from.Clone()
				to.Name, to.Type, to.Comment = "Quantity", schema.IntegerType{Bits: 64}, "how many"
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT SUM(Quantity) FROM items": 4},
		},
		{
			name: "set on update",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "notes", "at")
				to := from.Clone()
				to.OnUpdate = "CURRENT_TIMESTAMP(6)"
				return op.AlterColumn{Table: "notes", From: from, To: to}
			},
			stmts: 1,
		},
		{
			name: "set column collation",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				from := column(t, s, "items", "note")
				to := from.Clone()
				to.Collation = "utf8mb4_bin"
				return op.AlterColumn{Table: "items", From: from, To: to}
			},
			stmts: 1,
		},
		{
			name: "add generated column",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.AddColumn{Table: "items", Column: &schema.Column{Name: "name_len", Type: schema.IntegerType{Bits: 32}, Nullable: true,
					Generated: schema.Generated{Expr: "char_length(`name`)", Stored: true}}}
			},
			stmts: 1,
			rows:  map[string]int64{"SELECT SUM(name_len) FROM items": 3},
		},
		{
			name: "create descending prefix index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.CreateIndex{Table: "notes", Index: &schema.Index{Name: "ix body", Parts: []schema.IndexPart{{Column: "body", Prefix: 4, Desc: true}, {Column: "id"}}}}
			},
			stmts: 1,
		},
		{
			name: "create fulltext index",
			op: func(t *testing.T, s *schema.Schema) op.Op {
				return op.CreateIndex{Table: "notes", Index: &schema.Index{Name: "ft_body", Parts: schema.Columns("body"), Method: "FULLTEXT"}}
			},
			stmts: 1,
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
			t.Logf("%s:\n%s", o, strings.Join(stmts, "\n"))
			if tc.stmts > 0 && len(stmts) != tc.stmts {
				t.Errorf("rendered %d statements, want %d:\n%s", len(stmts), tc.stmts, strings.Join(stmts, "\n"))
			}
			for q, want := range tc.rows {
				if got := queryInt(t, db, q); got != want {
					t.Errorf("%s = %d, want %d", q, got, want)
				}
			}
			after := inspect(t, d, db)
			want := expectApply(t, d, original, o)
			if tc.applyGap != nil {
				tc.applyGap(want)
			}
			diffSchemas(t, "after "+o.String(), after, want)

			inv, err := o.Inverse()
			if tc.noInverse != "" {
				if !errors.Is(err, op.ErrIrreversible) {
					t.Errorf("inverse of %s: %v, want ErrIrreversible", o, err)
				}
				return
			}
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
		{"create table with everything", op.CreateTable{Table: &schema.Table{
			Name: "t",
			Columns: []*schema.Column{
				{Name: "a", Type: schema.StringType{Size: 10}, Collation: "utf8mb4_bin"},
				{Name: "g", Type: schema.IntegerType{Bits: 32}, Nullable: true, Generated: schema.Generated{Expr: "char_length(`a`)"}},
				{Name: "u", Type: schema.TimeType{Kind: schema.Timestamp}, Nullable: true, OnUpdate: "CURRENT_TIMESTAMP"},
			},
			Indexes: []*schema.Index{
				{Name: "ix", Parts: []schema.IndexPart{{Column: "a", Prefix: 3, Desc: true}, {Column: "g"}}},
				{Name: "ft", Parts: schema.Columns("a"), Method: "FULLTEXT"},
				{Name: "h", Parts: schema.Columns("g"), Unique: true, Method: "HASH"},
			},
			Checks:  []*schema.Check{{Name: "ck", Expr: "`g` > 0"}, {Expr: "`a` <> ''"}},
			Engine:  "MyISAM",
			Charset: "latin1", Collation: "latin1_bin", Comment: "x",
		}}, []string{"CREATE TABLE `t` (\n" +
			"  `a` VARCHAR(10) COLLATE utf8mb4_bin NOT NULL,\n" +
			"  `g` INT GENERATED ALWAYS AS (char_length(`a`)) VIRTUAL NULL,\n" +
			"  `u` DATETIME NULL ON UPDATE CURRENT_TIMESTAMP,\n" +
			"  INDEX `ix` (`a`(3) DESC, `g`),\n" +
			"  FULLTEXT INDEX `ft` (`a`),\n" +
			"  UNIQUE INDEX `h` (`g`) USING HASH,\n" +
			"  CONSTRAINT `ck` CHECK (`g` > 0),\n" +
			"  CHECK (`a` <> '')\n" +
			") ENGINE = MyISAM DEFAULT CHARSET = latin1 COLLATE = latin1_bin COMMENT = 'x'",
		}},
		{"rename table", op.RenameTable{From: "a", To: "b`c"}, []string{"RENAME TABLE `a` TO `b``c`"}},
		{"alter table back to defaults", op.AlterTable{Table: "t",
			From: schema.TableAttrs{Engine: "MyISAM", Charset: "latin1", Comment: "x"}, To: schema.TableAttrs{}}, []string{
			"ALTER TABLE `t` ENGINE = InnoDB, DEFAULT CHARSET = DEFAULT, COLLATE = DEFAULT, COMMENT = ''",
		}},
		{"alter table unchanged", op.AlterTable{Table: "t"}, nil},
		{"drop check on MySQL 8", op.DropCheck{Table: "t", Check: &schema.Check{Name: "ck", Expr: "x"}}, []string{"ALTER TABLE `t` DROP CHECK `ck`"}},
		{"drop constraint unknown", op.DropConstraint{Table: "t", Name: "c"}, []string{"ALTER TABLE `t` DROP CONSTRAINT `c`"}},
		{"drop constraint primary", op.DropConstraint{Table: "t", Name: "primary"}, []string{"ALTER TABLE `t` DROP PRIMARY KEY"}},
		{"add foreign key", op.AddForeignKey{Table: "t", ForeignKey: &schema.ForeignKey{Columns: []string{"a", "b"}, RefTable: "p", RefColumns: []string{"x", "y"}, OnUpdate: "CASCADE"}},
			[]string{"ALTER TABLE `t` ADD FOREIGN KEY (`a`, `b`) REFERENCES `p` (`x`, `y`) ON UPDATE CASCADE"}},
		{"drop view", op.DropView{View: &schema.View{Name: "v"}}, []string{"DROP VIEW `v`"}},
		{"create view", op.CreateView{View: &schema.View{Name: "v", Def: " select 1 AS `x`; "}}, []string{"CREATE VIEW `v` AS select 1 AS `x`"}},
		{"bulk insert nothing", op.BulkInsert{Table: "t", Columns: []string{"a"}}, nil},
		// MySQL 8 turns a STORED column regular in place, keeping its
		// values; a VIRTUAL one needs them copied; a regular one becomes
		// generated by a drop the data-loss guard sees.
		{"stored generated to regular on MySQL 8", op.AlterColumn{Table: "t", From: genColumn(true, true), To: genColumn(false, false)}, []string{
			"ALTER TABLE `t` MODIFY COLUMN `c` INT NULL",
		}},
		{"virtual generated to regular on MySQL 8", op.AlterColumn{Table: "t", From: genColumn(true, false), To: genColumn(false, false)}, []string{
			"ALTER TABLE `t` ADD COLUMN `_strata_c` INT NULL AFTER `c`",
			"UPDATE `t` SET `_strata_c` = `c`",
			"ALTER TABLE `t` DROP COLUMN `c`, CHANGE COLUMN `_strata_c` `c` INT NULL",
		}},
		{"regular to stored generated on MySQL 8", op.AlterColumn{Table: "t", From: genColumn(false, false), To: genColumn(true, true)}, []string{
			"ALTER TABLE `t` DROP COLUMN `c`, ADD COLUMN `c` INT GENERATED ALWAYS AS (`a` + 1) STORED NULL",
		}},
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

// genColumn is the nullable INT column c, generated (STORED or VIRTUAL) or
// regular.
func genColumn(generated, stored bool) *schema.Column {
	c := &schema.Column{Name: "c", Type: schema.IntegerType{Bits: 32}, Nullable: true}
	if generated {
		c.Generated = schema.Generated{Expr: "`a` + 1", Stored: stored}
	}
	return c
}

func TestRenderBulkInsert(t *testing.T) {
	t.Parallel()
	d := &mysql.Dialect{}
	rows := make([][]any, 1201)
	for i := range rows {
		rows[i] = []any{i, "x"}
	}
	got, err := d.Render(nil, op.BulkInsert{Table: "t", Columns: []string{"a", "b"}, Rows: rows})
	if err != nil || len(got) != 3 || !strings.HasPrefix(got[2], "INSERT INTO `t` (`a`, `b`) VALUES (1000, 'x'), ") {
		t.Errorf("1201 rows: %d statements, %v", len(got), err)
	}
	for _, bad := range []op.BulkInsert{
		{Table: "t", Columns: []string{"a"}, Rows: [][]any{{1, 2}}},
		{Table: "t", Columns: []string{"a"}, Rows: [][]any{{struct{}{}}}},
		{Table: "t", Rows: [][]any{{1}}},
	} {
		if _, err := d.Render(nil, bad); err == nil {
			t.Errorf("render %v: no error", bad)
		}
	}
	if _, err := d.Render(nil, op.DropForeignKey{Table: "t", ForeignKey: &schema.ForeignKey{Columns: []string{"a"}}}); err == nil {
		t.Error("an unnamed foreign key not in the schema rendered")
	}
	if _, err := d.Render(nil, op.CreateIndex{Table: "t", Index: &schema.Index{Name: "p", Parts: schema.Columns("a"), Where: "a > 0"}}); err == nil {
		t.Error("a partial index rendered")
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
		mustExec(t, db, "CREATE TABLE "+n+" (id INT PRIMARY KEY, x INT, y INT AS (x + 1), j JSON, INDEX (x), FOREIGN KEY (x) REFERENCES a0 (id), CHECK (x > 0))",
			"CREATE VIEW v_"+n+" AS SELECT id FROM "+n,
			"CREATE TRIGGER tr_"+n+" BEFORE INSERT ON "+n+" FOR EACH ROW SET NEW.x = 1")
	}
	many, s := count()
	if len(s.Tables) != 9 || len(s.Views) != 9 {
		t.Errorf("inspected %d tables and %d views, want 9 and 9", len(s.Tables), len(s.Views))
	}
	if one != many {
		t.Errorf("%d queries for 1 table, %d for 9", one, many)
	}
	// The database and its defaults, tables, columns, indexes, foreign
	// key columns, foreign key actions, checks, views, triggers, routine
	// parameters, routines, events, partitions, and what strata does not
	// manage.
	if one != 14 {
		t.Errorf("%d queries, want 14", one)
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
