package mysql_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// planCases change several things of one table, or the type of columns
// that foreign keys join, which the server refuses while the key stands.
var planCases = []struct {
	name             string
	current, desired []string
	rows             map[string]int64
	// alters is, per table, the most ALTER TABLE statements the upgrade
	// and the downgrade may each hold for it.
	alters map[string]int
}{
	{
		// Nine ops on books, nine statements one op at a time: drop the
		// foreign key, drop an index, drop a column, add a column, widen a
		// column, add a unique index, add a check, add the foreign key
		// back with ON DELETE CASCADE, set the comment. The foreign key
		// cannot come back under its name in the statement that drops it
		// (errno 121): two statements.
		name: "nine changes to one table",
		current: []string{
			"CREATE TABLE authors (id INT PRIMARY KEY, name VARCHAR(50))",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id INT, title VARCHAR(100) NOT NULL, isbn VARCHAR(20), legacy INT, KEY idx_title (title), CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id))",
			"INSERT INTO authors VALUES (1, 'a'), (2, 'b')",
			"INSERT INTO books VALUES (1, 1, 't1', 'i1', 7), (2, 2, 't2', 'i2', 8)",
		},
		desired: []string{
			"CREATE TABLE authors (id INT PRIMARY KEY, name VARCHAR(50))",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id INT, title VARCHAR(200) NOT NULL, isbn VARCHAR(20), price DECIMAL(10,2) NULL, UNIQUE KEY uq_isbn (isbn), CONSTRAINT ck_price CHECK (price >= 0), CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE) COMMENT = 'the books'",
		},
		rows:   map[string]int64{"SELECT COUNT(*) FROM books WHERE title IN ('t1', 't2')": 2},
		alters: map[string]int{"books": 2, "authors": 0},
	},
	{
		// Error 1832 and 1833 without the key dropped around the change.
		name: "integer columns of a foreign key, both sides",
		current: []string{
			"CREATE TABLE authors (id INT NOT NULL PRIMARY KEY)",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id INT, KEY idx_author (author_id), CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id))",
			"INSERT INTO authors VALUES (1), (2)", "INSERT INTO books VALUES (1, 1), (2, 2), (3, NULL)",
		},
		desired: []string{
			"CREATE TABLE authors (id BIGINT NOT NULL PRIMARY KEY)",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id BIGINT, KEY idx_author (author_id), CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id))",
		},
		rows:   map[string]int64{"SELECT COUNT(*) FROM books WHERE author_id IS NOT NULL": 2},
		alters: map[string]int{"books": 2, "authors": 1},
	},
	{
		name: "a key two tables reference, all sides",
		current: []string{
			"CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, name VARCHAR(20))",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id INT, CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES authors (id))",
			"CREATE TABLE reviews (id INT PRIMARY KEY, author_id INT NOT NULL, CONSTRAINT fk_review_author FOREIGN KEY (author_id) REFERENCES authors (id))",
			"INSERT INTO authors VALUES (1, 'a')", "INSERT INTO books VALUES (1, 1)", "INSERT INTO reviews VALUES (1, 1)",
		},
		desired: []string{
			"CREATE TABLE authors (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40))",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id BIGINT, CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES authors (id))",
			"CREATE TABLE reviews (id INT PRIMARY KEY, author_id BIGINT NOT NULL, CONSTRAINT fk_review_author FOREIGN KEY (author_id) REFERENCES authors (id))",
		},
		rows:   map[string]int64{"SELECT COUNT(*) FROM reviews JOIN authors ON authors.id = reviews.author_id": 1},
		alters: map[string]int{"authors": 1, "books": 2, "reviews": 2},
	},
	{
		// MariaDB refuses even a wider VARCHAR in a foreign key.
		name: "string columns of a composite foreign key, both sides, with more changes",
		current: []string{
			"CREATE TABLE countries (code VARCHAR(10) NOT NULL, region VARCHAR(10) NOT NULL, PRIMARY KEY (code, region))",
			"CREATE TABLE cities (id INT PRIMARY KEY, code VARCHAR(10), region VARCHAR(10), name VARCHAR(20), CONSTRAINT fk_country FOREIGN KEY (code, region) REFERENCES countries (code, region))",
			"INSERT INTO countries VALUES ('fr', 'eu')", "INSERT INTO cities VALUES (1, 'fr', 'eu', 'Paris')",
		},
		desired: []string{
			"CREATE TABLE countries (code VARCHAR(30) NOT NULL, region VARCHAR(10) NOT NULL, PRIMARY KEY (code, region), KEY idx_region (region))",
			"CREATE TABLE cities (id INT PRIMARY KEY, code VARCHAR(30), region VARCHAR(10), name VARCHAR(40), KEY idx_name (name), CONSTRAINT fk_country FOREIGN KEY (code, region) REFERENCES countries (code, region))",
		},
		rows:   map[string]int64{"SELECT COUNT(*) FROM cities WHERE code = 'fr'": 1},
		alters: map[string]int{"cities": 2, "countries": 1},
	},
	{
		// The key changes too: it is dropped and added by the plan's own
		// ops, around the change of its column, not twice.
		name: "foreign key changed with the type of its column",
		current: []string{
			"CREATE TABLE authors (id INT NOT NULL PRIMARY KEY)",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id INT, CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id))",
			"INSERT INTO authors VALUES (1)", "INSERT INTO books VALUES (1, 1)",
		},
		desired: []string{
			"CREATE TABLE authors (id BIGINT NOT NULL PRIMARY KEY)",
			"CREATE TABLE books (id INT PRIMARY KEY, author_id BIGINT, CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE)",
		},
		alters: map[string]int{"books": 2, "authors": 1},
	},
	{
		// A foreign key to its own table needs the referenced key before
		// the statement that adds it (errno 150).
		name: "foreign key to its own table with its key",
		current: []string{
			"CREATE TABLE categories (id INT PRIMARY KEY, code VARCHAR(20))",
			"INSERT INTO categories VALUES (1, 'a'), (2, 'b')",
		},
		desired: []string{
			"CREATE TABLE categories (id INT PRIMARY KEY, code VARCHAR(20), parent_code VARCHAR(20), UNIQUE KEY uq_code (code), CONSTRAINT fk_parent FOREIGN KEY (parent_code) REFERENCES categories (code))",
		},
		alters: map[string]int{"categories": 2},
	},
}

// TestRenderPlan diffs each case's database towards one where the
// desired DDL ran, renders the ops together (dialect.RenderStatements)
// and runs them: SHOW CREATE TABLE must then read the same on both, with
// at most the ALTER TABLE statements the case allows per table; the
// inverse ops, rendered the same way, must bring the schema back.
func TestRenderPlan(t *testing.T) {
	t.Parallel()
	for _, tc := range planCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, d := fresh(t)
			mustExec(t, db, tc.current...)
			target, _ := fresh(t)
			mustExec(t, target, tc.desired...)
			before := inspect(t, d, db)
			want := inspect(t, d, target)
			ops, err := diff.Schemas(before, want)
			if err != nil {
				t.Fatal(err)
			}
			inverse, err := diff.Inverse(ops)
			if err != nil {
				t.Fatal(err)
			}
			oneByOne := 0
			for _, o := range ops {
				stmts, err := d.Render(before, o)
				if err != nil {
					t.Fatal(err)
				}
				oneByOne += len(stmts)
				if err := o.Apply(before); err != nil {
					t.Fatal(err)
				}
			}
			before = inspect(t, d, db)
			running := before.Clone()
			up, err := dialect.RenderStatements(d, running, ops)
			if err != nil {
				t.Fatal(err)
			}
			down, err := dialect.RenderStatements(d, running, inverse)
			if err != nil {
				t.Fatal(err)
			}
			if again, err := dialect.RenderStatements(d, before.Clone(), ops); err != nil || !slices.EqualFunc(again, up, func(a, b dialect.Statement) bool {
				return a.SQL == b.SQL && slices.Equal(a.Ops, b.Ops)
			}) {
				t.Errorf("rendered again: %v, %v; want the same statements", again, err)
			}
			t.Logf("%d ops, %d statements one op at a time, %d together; up:\n%s\ndown:\n%s", len(ops), oneByOne, len(up),
				strings.Join(dialect.StatementSQL(up), ";\n"), strings.Join(dialect.StatementSQL(down), ";\n"))
			for dir, stmts := range map[string][]dialect.Statement{"upgrade": up, "downgrade": down} {
				n := len(ops)
				if dir == "downgrade" {
					n = len(inverse)
				}
				checkStatements(t, dir, stmts, n, tc.alters)
			}

			mustExec(t, db, dialect.StatementSQL(up)...)
			for _, tb := range want.Tables {
				if got, want := showCreate(t, db, tb.Name), showCreate(t, target, tb.Name); got != want {
					t.Errorf("after the upgrade, SHOW CREATE TABLE %s:\n%s\nwant\n%s", tb.Name, got, want)
				}
			}
			for q, n := range tc.rows {
				if got := queryInt(t, db, q); got != n {
					t.Errorf("after the upgrade, %s = %d, want %d", q, got, n)
				}
			}
			if again, err := diff.Schemas(inspect(t, d, db), want); err != nil || len(again) > 0 {
				t.Errorf("second diff: %v, %v; want nothing", again, err)
			}
			mustExec(t, db, dialect.StatementSQL(down)...)
			diffSchemas(t, "after the downgrade", inspect(t, d, db), before)
		})
	}
}

var alterOf = regexp.MustCompile("^ALTER TABLE `([^`]+)`")

// checkStatements checks that every op of n is carried out by some
// statement (or renders nothing) and that each table has at most the
// ALTER TABLE statements alters allows.
func checkStatements(t *testing.T, dir string, stmts []dialect.Statement, n int, alters map[string]int) {
	t.Helper()
	count := map[string]int{}
	for _, st := range stmts {
		for _, i := range st.Ops {
			if i < 0 || i >= n {
				t.Errorf("%s: statement %q carries op %d of %d", dir, st.SQL, i, n)
			}
		}
		if len(st.Ops) == 0 {
			t.Errorf("%s: statement %q carries no op", dir, st.SQL)
		}
		if m := alterOf.FindStringSubmatch(st.SQL); m != nil {
			count[m[1]]++
		}
	}
	for table, most := range alters {
		if count[table] > most {
			t.Errorf("%s: %d ALTER TABLE statements for %s, want at most %d", dir, count[table], table, most)
		}
	}
}

var autoIncrement = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

func showCreate(t *testing.T, db dialect.Querier, table string) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SHOW CREATE TABLE `"+table+"`")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var name, def string
	if !rows.Next() {
		t.Fatalf("SHOW CREATE TABLE %s: no row", table)
	}
	if err := rows.Scan(&name, &def); err != nil {
		t.Fatal(err)
	}
	return autoIncrement.ReplaceAllString(def, "")
}

// TestRenderPlanBackfill: the NOT NULL steps of an added column stay
// three statements, add nullable, UPDATE, set NOT NULL; the table's other
// changes join the first and the last.
func TestRenderPlanBackfill(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	mustExec(t, db,
		"CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), note VARCHAR(10))",
		"INSERT INTO items VALUES (1, 'a', NULL), (2, 'b', 'x')")
	current := inspect(t, d, db)
	ops := []op.Op{
		op.AlterColumn{Table: "items", From: column(t, current, "items", "note"), To: &schema.Column{Name: "note", Type: schema.StringType{Size: 30}, Nullable: true}},
		op.AddColumn{Table: "items", Column: &schema.Column{Name: "qty", Type: schema.IntegerType{Bits: 32}}, Backfill: schema.Literal{SQL: "0"}},
		op.CreateIndex{Table: "items", Index: &schema.Index{Name: "idx_qty", Parts: schema.Columns("qty")}},
		op.CreateIndex{Table: "items", Index: &schema.Index{Name: "idx_name", Parts: schema.Columns("name")}},
	}
	stmts, err := dialect.RenderStatements(d, current.Clone(), ops)
	if err != nil {
		t.Fatal(err)
	}
	got := dialect.StatementSQL(stmts)
	want := []string{
		"ALTER TABLE `items`\n  MODIFY COLUMN `note` VARCHAR(30) NULL,\n  ADD COLUMN `qty` INT NULL",
		"UPDATE `items` SET `qty` = 0 WHERE `qty` IS NULL",
		"ALTER TABLE `items`\n  MODIFY COLUMN `qty` INT NOT NULL,\n  ADD INDEX `idx_qty` (`qty`),\n  ADD INDEX `idx_name` (`name`)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("statements:\n%q\nwant\n%q", got, want)
	}
	if ops := [][]int{stmts[0].Ops, stmts[1].Ops, stmts[2].Ops}; !slices.Equal(ops[0], []int{0, 1}) || !slices.Equal(ops[1], []int{1}) || !slices.Equal(ops[2], []int{1, 2, 3}) {
		t.Errorf("ops of the statements: %v", ops)
	}
	mustExec(t, db, got...)
	if n := queryInt(t, db, "SELECT COUNT(*) FROM items WHERE qty = 0"); n != 2 {
		t.Errorf("backfilled rows: %d, want 2", n)
	}
}
