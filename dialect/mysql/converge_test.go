package mysql_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

// convergeCases change a schema holding rows into another, where the
// server keeps indexes of foreign keys by its own rules or cannot change a
// column in place.
var convergeCases = []struct {
	name             string
	current, desired []string
	// rows are queries and their results after the upgrade; restored
	// after the downgrade.
	rows, restored map[string]int64
	// up are fragments the upgrade's statements must hold, in order.
	up []string
}{
	// Indexes InnoDB generated for foreign keys.
	{
		name: "index over a generated foreign key index",
		current: []string{
			"CREATE TABLE authors (id BIGINT PRIMARY KEY)",
			"CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL, FOREIGN KEY (author_id) REFERENCES authors (id))",
			"INSERT INTO authors VALUES (1), (2)", "INSERT INTO books VALUES (1, 1), (2, 2)",
		},
		desired: []string{
			"CREATE TABLE authors (id BIGINT PRIMARY KEY)",
			"CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL, INDEX idx_author (author_id), FOREIGN KEY (author_id) REFERENCES authors (id))",
		},
		rows: map[string]int64{"SELECT COUNT(*) FROM books": 2},
	},
	{
		name: "composite index over a generated foreign key index",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, created INT, FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, created INT, INDEX ac (author_id, created), FOREIGN KEY (author_id) REFERENCES users (id))",
		},
	},
	{
		// The server would drop author_id, which it generated, when ac
		// comes: the statement rebuilds it as an ordinary index.
		name: "index kept beside a composite one that begins with it",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, created INT, FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, created INT, KEY author_id (author_id), INDEX ac (author_id, created), FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		up: []string{"DROP INDEX `author_id`, ADD INDEX `author_id` (`author_id`), ADD INDEX `ac`"},
	},
	{
		// Adding the key again would replace the generated author_id with
		// an index named after the constraint.
		name: "unnamed foreign key pointed at another table",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)", "CREATE TABLE admins (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)", "CREATE TABLE admins (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, FOREIGN KEY (author_id) REFERENCES admins (id) ON DELETE CASCADE)",
		},
	},
	{
		name: "explicit index of a named foreign key dropped",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, INDEX idx_author (author_id), CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES users (id))",
		},
	},
	{
		name: "foreign key dropped, column kept",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT)",
		},
	},
	{
		name: "foreign key widened to two columns",
		current: []string{
			"CREATE TABLE users (id BIGINT, t INT, PRIMARY KEY (id, t))",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, author_t INT, FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT, t INT, PRIMARY KEY (id, t))",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, author_t INT, FOREIGN KEY (author_id, author_t) REFERENCES users (id, t))",
		},
	},
	{
		name: "primary key that served the table's own foreign key",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE memberships (user_id BIGINT NOT NULL, grp INT NOT NULL, PRIMARY KEY (user_id, grp), CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id))",
			"INSERT INTO users VALUES (1)", "INSERT INTO memberships VALUES (1, 1), (1, 2)",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY)",
			"CREATE TABLE memberships (user_id BIGINT NOT NULL, grp INT NOT NULL, PRIMARY KEY (grp, user_id), CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id))",
		},
		rows: map[string]int64{"SELECT COUNT(*) FROM memberships": 2},
		up:   []string{"ADD INDEX `fk_user` (`user_id`),\n  DROP PRIMARY KEY"},
	},
	// Keys that foreign keys of other tables reference.
	{
		name: "primary key widened under a foreign key",
		current: []string{
			"CREATE TABLE users (id BIGINT NOT NULL, tenant INT NOT NULL, PRIMARY KEY (id))",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES users (id))",
			"INSERT INTO users VALUES (1, 1)", "INSERT INTO posts VALUES (1, 1)",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT NOT NULL, tenant INT NOT NULL, PRIMARY KEY (id, tenant))",
			"CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES users (id))",
		},
		rows: map[string]int64{"SELECT COUNT(*) FROM posts": 1},
		up: []string{
			"ALTER TABLE `posts` DROP FOREIGN KEY `fk_author`", "DROP PRIMARY KEY", "ADD PRIMARY KEY (`id`, `tenant`)",
			"ALTER TABLE `posts` ADD CONSTRAINT `fk_author`",
		},
	},
	{
		// The referenced table's name sorts first: its key still goes
		// after the foreign keys that use it.
		name: "primary key and the foreign keys on it replaced",
		current: []string{
			"CREATE TABLE accounts (user_id INT PRIMARY KEY, username VARCHAR(50))",
			"CREATE TABLE zposts (post_id INT PRIMARY KEY, author_id INT, CONSTRAINT zposts_author_fk FOREIGN KEY (author_id) REFERENCES accounts (user_id))",
		},
		desired: []string{
			"CREATE TABLE accounts (user_id INT NOT NULL, username VARCHAR(50), tenant_id INT NOT NULL, PRIMARY KEY (tenant_id, user_id))",
			"CREATE TABLE zposts (post_id INT PRIMARY KEY, author_id INT, author_tenant_id INT, CONSTRAINT zposts_author_fk FOREIGN KEY (author_tenant_id, author_id) REFERENCES accounts (tenant_id, user_id))",
		},
	},
	{
		name: "referenced unique index replaced",
		current: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100) NOT NULL, UNIQUE KEY uq_email (email))",
			"CREATE TABLE logins (id BIGINT PRIMARY KEY, email VARCHAR(100), CONSTRAINT fk_email FOREIGN KEY (email) REFERENCES users (email))",
		},
		desired: []string{
			"CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100) NOT NULL, UNIQUE KEY uq_email_id (email, id))",
			"CREATE TABLE logins (id BIGINT PRIMARY KEY, email VARCHAR(100), CONSTRAINT fk_email FOREIGN KEY (email) REFERENCES users (email))",
		},
	},
	{
		name: "self reference across a primary key change",
		current: []string{
			"CREATE TABLE nodes (id INT NOT NULL, k INT NOT NULL, parent_id INT, PRIMARY KEY (id), CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES nodes (id))",
			"INSERT INTO nodes VALUES (1, 1, NULL), (2, 1, 1)",
		},
		desired: []string{
			"CREATE TABLE nodes (id INT NOT NULL, k INT NOT NULL, parent_id INT, PRIMARY KEY (id, k), CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES nodes (id))",
		},
		rows: map[string]int64{"SELECT COUNT(*) FROM nodes WHERE parent_id = 1": 1},
	},
	{
		name: "primary key replaced while the referencing table goes",
		current: []string{
			"CREATE TABLE users (id INT PRIMARY KEY)",
			"CREATE TABLE taggings (user_id INT NOT NULL, tag TEXT NOT NULL, CONSTRAINT taggings_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id))",
		},
		desired: []string{"CREATE TABLE users (user_id INT PRIMARY KEY, name TEXT)"},
	},
	// Generated columns the server cannot MODIFY.
	{
		name: "regular column made generated",
		current: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, base INT NOT NULL, c INT, e INT, KEY ce (c, e), CONSTRAINT ck CHECK (c <> 7))",
			"INSERT INTO t VALUES (1, 10, 1, 0), (2, 20, 2, 0)",
		},
		desired: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, base INT NOT NULL, c INT GENERATED ALWAYS AS (base * 2) VIRTUAL, e INT, KEY ce (c, e), CONSTRAINT ck CHECK (c <> 7))",
		},
		// The values stored give way to computed ones; the downgrade
		// keeps those.
		rows:     map[string]int64{"SELECT COUNT(*) FROM t WHERE c = base * 2": 2},
		restored: map[string]int64{"SELECT COUNT(*) FROM t WHERE c = base * 2": 2},
		up:       []string{"DROP COLUMN `c`, ADD COLUMN `c` INT GENERATED ALWAYS AS (`base` * 2) VIRTUAL AFTER `base`"},
	},
	{
		name: "generated column made regular keeps its values",
		current: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, base INT NOT NULL, c INT GENERATED ALWAYS AS (base * 2) STORED, e INT, d INT GENERATED ALWAYS AS (c + 1) VIRTUAL, UNIQUE KEY uc (c), KEY ce (c, e), CONSTRAINT ck CHECK (c > 0), CONSTRAINT ck2 CHECK (c > e))",
			"INSERT INTO t (id, base, e) VALUES (1, 10, 0), (2, 20, 0)",
		},
		desired: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, base INT NOT NULL, c INT NOT NULL, e INT, d INT GENERATED ALWAYS AS (c + 1) VIRTUAL, UNIQUE KEY uc (c), KEY ce (c, e), CONSTRAINT ck CHECK (c > 0), CONSTRAINT ck2 CHECK (c > e))",
		},
		rows:     map[string]int64{"SELECT COUNT(*) FROM t WHERE c = base * 2 AND d = c + 1": 2},
		restored: map[string]int64{"SELECT COUNT(*) FROM t WHERE c = base * 2 AND d = c + 1": 2},
		up:       []string{"UPDATE `t` SET `_strata_c` = `c`", "DROP COLUMN `c`, CHANGE COLUMN `_strata_c` `c` INT NOT NULL"},
	},
	{
		name: "stored to virtual and back, with an index and a check",
		current: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL, n INT GENERATED ALWAYS AS (char_length(a)) STORED, UNIQUE KEY un (n, id), CONSTRAINT ckn CHECK (n < 100))",
			"INSERT INTO t (id, a) VALUES (1, 'abc'), (2, 'de')",
		},
		desired: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL, n INT GENERATED ALWAYS AS (char_length(a)) VIRTUAL, UNIQUE KEY un (n, id), CONSTRAINT ckn CHECK (n < 100))",
		},
		rows: map[string]int64{"SELECT SUM(n) FROM t": 5},
	},
	{
		name: "first column virtual to stored",
		current: []string{
			"CREATE TABLE t (g INT GENERATED ALWAYS AS (id * 2) VIRTUAL, id INT PRIMARY KEY, KEY ig (g))",
			"INSERT INTO t (id) VALUES (1), (2)",
		},
		desired: []string{"CREATE TABLE t (g INT GENERATED ALWAYS AS (id * 3) STORED, id INT PRIMARY KEY, KEY ig (g))"},
		rows:    map[string]int64{"SELECT SUM(g) FROM t": 9},
		up:      []string{"DROP COLUMN `g`, ADD COLUMN `g` INT GENERATED ALWAYS AS (`id` * 3) STORED FIRST"},
	},
}

// TestConverge applies each case's current schema (with its rows) to one
// database and its desired schema to another, then diffs the first
// towards the second, renders the ops one after the other on the schema
// as it goes (as autogenerate does) and runs them: the first database must
// then inspect equal to the second, with nothing left to diff, and the
// inverse ops must bring back its original schema. Columns may change
// place on the way back; the upgrade keeps them where they stand.
func TestConverge(t *testing.T) {
	t.Parallel()
	for _, tc := range convergeCases {
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
			running := before.Clone()
			up, err := dialect.RenderOps(d, running, ops)
			if err != nil {
				t.Fatal(err)
			}
			down, err := dialect.RenderOps(d, running, inverse)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("up:\n%s\ndown:\n%s", strings.Join(up, "\n"), strings.Join(down, "\n"))
			wantFragments(t, up, tc.up)

			mustExec(t, db, up...)
			after := inspect(t, d, db)
			diffSchemas(t, "after the upgrade", after, want)
			if again, err := diff.Schemas(after, want); err != nil || len(again) > 0 {
				t.Errorf("second diff: %v, %v; want nothing", again, err)
			}
			if want, got := columnNames(want), columnNames(after); want != got {
				t.Errorf("columns after the upgrade:\n  %s\nwant\n  %s", got, want)
			}
			for q, n := range tc.rows {
				if got := queryInt(t, db, q); got != n {
					t.Errorf("after the upgrade, %s = %d, want %d", q, got, n)
				}
			}

			mustExec(t, db, down...)
			diffSchemas(t, "after the downgrade", inspect(t, d, db), before)
			for q, n := range tc.restored {
				if got := queryInt(t, db, q); got != n {
					t.Errorf("after the downgrade, %s = %d, want %d", q, got, n)
				}
			}
		})
	}
}

// wantFragments checks that stmts hold the fragments in order, each in a
// statement at or after the one holding the previous.
func wantFragments(t *testing.T, stmts, fragments []string) {
	t.Helper()
	i := 0
	for _, f := range fragments {
		for i < len(stmts) && !strings.Contains(stmts[i], f) {
			i++
		}
		if i == len(stmts) {
			t.Errorf("no statement (in order) holds %q", f)
			return
		}
	}
}

// columnNames lists each table's columns in order.
func columnNames(s *schema.Schema) string {
	var b strings.Builder
	for _, t := range s.Tables {
		b.WriteString(t.Name + "(")
		for i, c := range t.Columns {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.Name)
		}
		b.WriteString(") ")
	}
	return b.String()
}

// TestGeneratedColumnLossIsGuarded runs a Go revision that makes a
// regular column holding values a generated one: the data-loss guard must
// stop it, naming the column, and forced, the values are the computed
// ones.
func TestGeneratedColumnLossIsGuarded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	migrations := []strata.Migration{
		{
			Revision: "001",
			Upgrade: func(ctx context.Context, o *strata.Op) error {
				o.CreateTable("t",
					strata.Column("id", schema.IntegerType{Bits: 32}).PrimaryKey(),
					strata.Column("base", schema.IntegerType{Bits: 32}),
					strata.Column("c", schema.IntegerType{Bits: 32}).Null())
				return nil
			},
			Downgrade: func(ctx context.Context, o *strata.Op) error { o.DropTable("t"); return nil },
		},
		{
			Revision: "002", Parents: []string{"001"},
			Upgrade: func(ctx context.Context, o *strata.Op) error {
				o.AlterColumn("t", "c", func(c *schema.Column, _ *op.AlterColumn) {
					c.Generated = schema.Generated{Expr: "`base` * 2"}
				})
				return nil
			},
		},
		{
			// Back to a regular column: the computed values are kept
			// (copied through strata's scratch column), so nothing is lost.
			Revision: "003", Parents: []string{"002"},
			Upgrade: func(ctx context.Context, o *strata.Op) error {
				o.AlterColumn("t", "c", func(c *schema.Column, _ *op.AlterColumn) {
					c.Generated = schema.Generated{}
				})
				return nil
			},
		},
	}
	open := func(opts ...strata.Option) *strata.Migrator {
		t.Helper()
		m, err := strata.Open(ctx, url, append([]strata.Option{strata.WithDir(t.TempDir()), strata.WithMigrations(migrations...), strata.WithoutGlobalRegistry()}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m
	}
	m := open()
	if _, err := m.Upgrade(ctx, "001"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, m.DB(), "INSERT INTO t VALUES (1, 10, 5), (2, 20, NULL)")
	_, err := m.Upgrade(ctx, "head")
	var loss *runner.DataLossError
	if !errors.As(err, &loss) || len(loss.Losses) != 1 || loss.Losses[0].Table != "t" || loss.Losses[0].Column != "c" || loss.Losses[0].Rows != 1 {
		t.Fatalf("upgrade making a column holding values generated: %v; want a DataLossError for t.c, 1 row", err)
	}
	if _, err := open(strata.WithForce()).Upgrade(ctx, "002"); err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, m.DB(), "SELECT COUNT(*) FROM t WHERE c = base * 2"); got != 2 {
		t.Errorf("%d rows computed, want 2", got)
	}
	if _, err := open().Upgrade(ctx, "head"); err != nil {
		t.Fatalf("making the generated column regular again, without force: %v", err)
	}
	if got := queryInt(t, m.DB(), "SELECT COUNT(*) FROM t WHERE c = base * 2"); got != 2 {
		t.Errorf("%d rows kept their values as a regular column, want 2", got)
	}
}

// TestRenderForeignKeysAroundKeys renders, without a server, how foreign
// keys of other tables are kept whole around the key they reference: the
// drop of the key drops them first, a foreign key so dropped renders no
// second drop, and the key that comes back adds them again.
func TestRenderForeignKeysAroundKeys(t *testing.T) {
	t.Parallel()
	d := &mysql.Dialect{}
	id := &schema.Column{Name: "id", Type: schema.IntegerType{Bits: 32}}
	fk := &schema.ForeignKey{Name: "fk_u", Columns: []string{"u"}, RefTable: "users", RefColumns: []string{"id"}}
	current := &schema.Schema{Tables: []*schema.Table{
		{Name: "posts", Columns: []*schema.Column{{Name: "u", Type: id.Type}}, Indexes: []*schema.Index{{Name: "fk_u", Parts: schema.Columns("u")}}, ForeignKeys: []*schema.ForeignKey{fk}},
		{Name: "users", Columns: []*schema.Column{id}, PrimaryKey: &schema.PrimaryKey{Name: "PRIMARY", Columns: []string{"id"}}},
	}}
	steps := []struct {
		op   op.Op
		want []string
	}{
		{op.DropConstraint{Table: "users", Name: "PRIMARY"}, []string{
			"ALTER TABLE `posts` DROP FOREIGN KEY `fk_u`",
			"ALTER TABLE `users` DROP PRIMARY KEY",
		}},
		{op.CreateIndex{Table: "users", Index: &schema.Index{Name: "uq", Parts: schema.Columns("id"), Unique: true}}, []string{
			"CREATE UNIQUE INDEX `uq` ON `users` (`id`)",
			"ALTER TABLE `posts` ADD CONSTRAINT `fk_u` FOREIGN KEY (`u`) REFERENCES `users` (`id`)",
		}},
	}
	for _, s := range steps {
		got, err := d.Render(current, s.op)
		if err != nil {
			t.Fatalf("render %s: %v", s.op, err)
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("render %s:\n  %q\nwant\n  %q", s.op, got, s.want)
		}
		if err := s.op.Apply(current); err != nil {
			t.Fatal(err)
		}
		if _, isDrop := s.op.(op.DropConstraint); isDrop {
			// The key went with users' primary key.
			if got, err := d.Render(current, op.DropForeignKey{Table: "posts", ForeignKey: fk}); err != nil || got != nil {
				t.Errorf("drop of a foreign key dropped already: %q, %v; want nothing", got, err)
			}
			if got, err := d.Render(current, op.DropConstraint{Table: "posts", Name: fk.Name}); err != nil || got != nil {
				t.Errorf("drop of a constraint dropped already: %q, %v; want nothing", got, err)
			}
		}
	}
}
