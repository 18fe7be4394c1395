package sqlite_test

import (
	"context"
	osexec "os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

const planSetup = `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  title VARCHAR(100) NOT NULL,
  author_id INTEGER NOT NULL CONSTRAINT books_author REFERENCES authors (id),
  note TEXT,
  pages INTEGER
);
CREATE INDEX books_title ON books (title);
INSERT INTO authors (id, name, code) VALUES (1, 'Ann', 'a'), (2, 'Bob', 'b');
INSERT INTO books (id, title, author_id, note, pages) VALUES (1, 'A', 1, NULL, 10), (2, 'B', 2, 'n', NULL);`

// planRun renders ops together from the database's schema, runs them in
// one transaction, and checks that the database then has the schema the
// ops describe, and the rows it had.
func planRun(t *testing.T, setup string, ops func(s *schema.Schema) []op.Op) []dialect.Statement {
	t.Helper()
	db, d := open(t)
	exec(t, db, setup)
	before := inspect(t, d, db)
	list := ops(before)
	stmts, err := dialect.RenderStatements(d, before.Clone(), list)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := d.CheckStatements(context.Background(), db, dialect.StatementSQL(stmts), true); err != nil || r != nil {
		t.Fatalf("refused: %+v, %v", r, err)
	}
	wantRows := rows(t, db, "SELECT count(*) FROM books")
	inTx(t, db, dialect.StatementSQL(stmts))
	if got := rows(t, db, "PRAGMA foreign_key_check"); len(got) > 0 {
		t.Errorf("foreign key violations: %q", got)
	}
	expect := before.Clone()
	for _, o := range list {
		if err := o.Apply(expect); err != nil {
			t.Fatal(err)
		}
	}
	d.Canonical(expect)
	if diffs := schema.Differences(expect, inspect(t, d, db)); len(diffs) > 0 {
		t.Fatalf("schema after the ops:\n%s\nstatements:\n%s", strings.Join(diffs, "\n"), strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
	if got := rows(t, db, "SELECT count(*) FROM books"); !slices.Equal(got, wantRows) {
		t.Errorf("books has %s rows, had %s", got, wantRows)
	}
	return stmts
}

func rebuildsOf(stmts []dialect.Statement, table string) int {
	n := 0
	for _, st := range stmts {
		if strings.HasPrefix(st.SQL, "ALTER TABLE "+table+" RENAME TO _strata_old_") {
			n++
		}
	}
	return n
}

func indexOf(stmts []dialect.Statement, prefix string) int {
	return slices.IndexFunc(stmts, func(st dialect.Statement) bool { return strings.HasPrefix(st.SQL, prefix) })
}

// TestRenderPlanOneRebuild: issue 12's example, and more changes to the
// same table, make one rebuild that carries out every op, in at most 10
// statements.
func TestRenderPlanOneRebuild(t *testing.T) {
	t.Parallel()
	stmts := planRun(t, planSetup, func(s *schema.Schema) []op.Op {
		books := tbl(t, s, "books")
		title := col(t, s, "books", "title")
		wide := title.Clone()
		wide.Nullable, wide.Type = true, schema.StringType{Size: 200}
		fk := books.ForeignKeys[0]
		cascade := *fk
		cascade.OnDelete = "CASCADE"
		return []op.Op{
			op.DropForeignKey{Table: "books", ForeignKey: fk},
			op.AlterColumn{Table: "books", From: title, To: wide},
			op.AddColumn{Table: "books", Column: &schema.Column{Name: "isbn", Type: schema.StringType{}, Nullable: true}},
			op.AddForeignKey{Table: "books", ForeignKey: &cascade},
		}
	})
	if len(stmts) > 10 || rebuildsOf(stmts, "books") != 1 {
		t.Fatalf("%d statements, %d rebuilds, want at most 10 and 1:\n%s", len(stmts), rebuildsOf(stmts, "books"), strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
	create := stmts[indexOf(stmts, "CREATE TABLE books")]
	if !slices.Equal(create.Ops, []int{0, 1, 2, 3}) {
		t.Errorf("the rebuild carries out ops %v, want all four", create.Ops)
	}
	if last := stmts[len(stmts)-1]; last.SQL != "PRAGMA foreign_key_check(books)" || last.Ops != nil {
		t.Errorf("last statement %+v, want the foreign key check, of the dialect's own", last)
	}
}

// TestRenderPlanSimpleAltersFold: ALTERs that need no rebuild fold into
// the rebuild of their table when there is one, and stay ALTERs when
// there is none.
func TestRenderPlanSimpleAltersFold(t *testing.T) {
	t.Parallel()
	pagesIx := &schema.Index{Name: "books_pages", Parts: []schema.IndexPart{{Column: "pages"}}}
	stmts := planRun(t, planSetup, func(s *schema.Schema) []op.Op {
		return []op.Op{
			op.AddColumn{Table: "books", Column: &schema.Column{Name: "isbn", Type: schema.StringType{}, Nullable: true}},
			op.DropColumn{Table: "books", Column: col(t, s, "books", "note")},
			op.CreateIndex{Table: "books", Index: pagesIx},
			op.AddCheck{Table: "books", Check: &schema.Check{Expr: "pages > 0"}},
		}
	})
	if rebuildsOf(stmts, "books") != 1 || indexOf(stmts, "ALTER TABLE books ADD") >= 0 || indexOf(stmts, "ALTER TABLE books DROP") >= 0 {
		t.Fatalf("want one rebuild and no ALTER:\n%s", strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
	stmts = planRun(t, planSetup, func(s *schema.Schema) []op.Op {
		return []op.Op{
			op.AddColumn{Table: "books", Column: &schema.Column{Name: "isbn", Type: schema.StringType{}, Nullable: true}},
			op.DropColumn{Table: "books", Column: col(t, s, "books", "note")},
			op.CreateIndex{Table: "books", Index: pagesIx},
		}
	})
	if got := strings.Join(dialect.StatementSQL(stmts), ";\n"); got != "ALTER TABLE books ADD COLUMN isbn TEXT;\nALTER TABLE books DROP COLUMN note;\nCREATE INDEX books_pages ON books (pages)" {
		t.Errorf("without a rebuild:\n%s", got)
	}
}

// TestRenderPlanRebuildAfterNewParent: a change to a table's foreign keys
// that diff splits around a new table (the old key dropped first, the new
// one, to the new table, added after it) rebuilds the table once, after
// the new table exists: the known bug of two rebuilds of one table in a
// revision.
func TestRenderPlanRebuildAfterNewParent(t *testing.T) {
	t.Parallel()
	stmts := planRun(t, planSetup, func(s *schema.Schema) []op.Op {
		books := tbl(t, s, "books")
		title := col(t, s, "books", "title")
		wide := title.Clone()
		wide.Type = schema.StringType{Size: 200}
		return []op.Op{
			op.DropForeignKey{Table: "books", ForeignKey: books.ForeignKeys[0]},
			op.AlterColumn{Table: "books", From: title, To: wide},
			op.CreateTable{Table: &schema.Table{Name: "publishers", Columns: []*schema.Column{
				{Name: "id", Type: schema.IntegerType{Bits: 64}},
			}, PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}}}},
			op.AddColumn{Table: "books", Column: &schema.Column{Name: "publisher_id", Type: schema.IntegerType{Bits: 64}, Nullable: true}},
			op.AddForeignKey{Table: "books", ForeignKey: &schema.ForeignKey{Name: "books_publisher", Columns: []string{"publisher_id"}, RefTable: "publishers", RefColumns: []string{"id"}}},
		}
	})
	if n := rebuildsOf(stmts, "books"); n != 1 {
		t.Fatalf("%d rebuilds of books, want 1:\n%s", n, strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
	if indexOf(stmts, "CREATE TABLE publishers") > indexOf(stmts, "ALTER TABLE books RENAME") {
		t.Errorf("books is rebuilt before the table its new key references exists:\n%s", strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
}

// TestRenderPlanBarriers: a table's changes do not move past SQL that
// uses the table as it stands (here an UPDATE of the column just added),
// and a column rename stays a RENAME COLUMN before the rebuild; NOT NULL
// with a backfill fills the copy.
func TestRenderPlanBarriers(t *testing.T) {
	t.Parallel()
	stmts := planRun(t, planSetup, func(s *schema.Schema) []op.Op {
		isbn := &schema.Column{Name: "isbn", Type: schema.StringType{}, Nullable: true}
		isbnNotNull := isbn.Clone()
		isbnNotNull.Nullable = false
		note := col(t, s, "books", "note")
		remark := note.Clone()
		remark.Name, remark.Nullable = "remark", false
		return []op.Op{
			op.AddColumn{Table: "books", Column: isbn},
			op.Execute{SQL: "UPDATE books SET isbn = 'x' || id"},
			op.AlterColumn{Table: "books", From: isbn, To: isbnNotNull},
			op.AlterColumn{Table: "books", From: note, To: remark, Backfill: schema.Literal{SQL: "'none'"}},
		}
	})
	sqls := dialect.StatementSQL(stmts)
	add, update, rename, rebuild := indexOf(stmts, "ALTER TABLE books ADD COLUMN isbn"), indexOf(stmts, "UPDATE books"),
		indexOf(stmts, "ALTER TABLE books RENAME COLUMN note TO remark"), indexOf(stmts, "ALTER TABLE books RENAME TO")
	if add < 0 || update < add || rename < update || rebuild < rename || rebuildsOf(stmts, "books") != 1 {
		t.Fatalf("want ADD COLUMN, UPDATE, RENAME COLUMN, one rebuild, in that order:\n%s", strings.Join(sqls, ";\n"))
	}
	if !slices.ContainsFunc(sqls, func(s string) bool { return strings.Contains(s, "coalesce(remark, 'none')") }) {
		t.Errorf("the backfill is not in the copy:\n%s", strings.Join(sqls, ";\n"))
	}
}

// TestRenderPlanKeyAcrossRebuilds: a child's new foreign key to a unique
// key its parent gains in the same revision holds, with the parent's
// rebuild placed after the child's: the foreign key checks come last.
func TestRenderPlanKeyAcrossRebuilds(t *testing.T) {
	t.Parallel()
	stmts := planRun(t, planSetup+"\nCREATE TABLE loans (id INTEGER PRIMARY KEY, author_code TEXT);\nINSERT INTO loans VALUES (1, 'a');", func(s *schema.Schema) []op.Op {
		return []op.Op{
			op.CreateIndex{Table: "authors", Index: &schema.Index{Name: "sqlite_autoindex_authors_1", Unique: true, Constraint: true, Parts: []schema.IndexPart{{Column: "code"}}}},
			op.AddForeignKey{Table: "loans", ForeignKey: &schema.ForeignKey{Columns: []string{"author_code"}, RefTable: "authors", RefColumns: []string{"code"}}},
			op.AddCheck{Table: "authors", Check: &schema.Check{Expr: "name <> ''"}},
		}
	})
	if rebuildsOf(stmts, "authors") != 1 || rebuildsOf(stmts, "loans") != 1 {
		t.Fatalf("want one rebuild of each:\n%s", strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
}

// TestExecTurnsLegacyAlterTableOff: a rebuild that fails half-way leaves
// PRAGMA legacy_alter_table on the connection, not in the transaction
// that rolls back; Exec turns it off after the failure.
func TestExecTurnsLegacyAlterTableOff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, d := open(t)
	exec(t, db, planSetup)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"PRAGMA legacy_alter_table = ON", "ALTER TABLE books RENAME TO _strata_old_books"} {
		if _, err := d.Exec(ctx, tx, s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Exec(ctx, tx, "INSERT INTO nosuch VALUES (1)"); err == nil {
		t.Fatal("the failing statement did not fail")
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var on int
	if err := conn.QueryRowContext(ctx, "PRAGMA legacy_alter_table").Scan(&on); err != nil || on != 0 {
		t.Fatalf("legacy_alter_table = %d (%v) after the failure, want 0", on, err)
	}
}

// TestRenderPlanKeyDroppedBeforeItsTable: a foreign key dropped before the
// table it references is dropped stays before it, so that the drop runs
// with foreign keys on too; the table's changes after the drop still
// join its one rebuild.
func TestRenderPlanKeyDroppedBeforeItsTable(t *testing.T) {
	t.Parallel()
	stmts := planRun(t, planSetup, func(s *schema.Schema) []op.Op {
		books := tbl(t, s, "books")
		return []op.Op{
			op.DropForeignKey{Table: "books", ForeignKey: books.ForeignKeys[0]},
			op.DropTable{Table: tbl(t, s, "authors")},
			op.AddCheck{Table: "books", Check: &schema.Check{Expr: "pages > 0"}},
		}
	})
	if rebuild, drop := indexOf(stmts, "ALTER TABLE books RENAME TO"), indexOf(stmts, "DROP TABLE authors"); rebuild < 0 || drop < rebuild || rebuildsOf(stmts, "books") != 1 {
		t.Fatalf("authors is dropped before books loses its key to it:\n%s", strings.Join(dialect.StatementSQL(stmts), ";\n"))
	}
}

// TestRebuildAutoincrementUnderSqlite3: the rebuild keeps the
// AUTOINCREMENT high-water mark in plain SQL, so the sqlite3 shell running
// it keeps it too: the id of a deleted row is not given again.
func TestRebuildAutoincrementUnderSqlite3(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db, `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)`,
		`INSERT INTO t (v) VALUES ('a'), ('b'), ('c')`, `DELETE FROM t WHERE id = 3`)
	stmts := renderAll(t, d, inspect(t, d, db), op.AddCheck{Table: "t", Check: &schema.Check{Expr: "v <> ''"}})
	path := rows(t, db, "SELECT file FROM pragma_database_list WHERE name = 'main'")[0]
	if path == "" {
		t.Fatal("the test database has no file")
	}
	script := "BEGIN;\n" + strings.Join(stmts, ";\n") + ";\nCOMMIT;\nINSERT INTO t (v) VALUES ('d');\nSELECT id FROM t WHERE v = 'd';\n"
	cmd := osexec.Command("sqlite3", "-bail", path)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "4" {
		t.Errorf("sqlite3 gave the new row id %q, want 4", got)
	}
}
