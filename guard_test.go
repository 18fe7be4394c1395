package strata_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// skipWithoutTransactionalDDL skips MySQL, whose DDL commits at once:
// its guard predicts from the statements instead of judging by effect.
func skipWithoutTransactionalDDL(t *testing.T, dialect string) {
	t.Helper()
	if dialect == "mysql" {
		t.Skip("MySQL commits DDL at once; its data-loss guard predicts from the statements (runner/predict.go)")
	}
}

// lossNames names each loss as table or table.column.
func lossNames(t *testing.T, err error) []string {
	t.Helper()
	var loss *runner.DataLossError
	if !errors.As(err, &loss) {
		return nil
	}
	var out []string
	for _, l := range loss.Losses {
		if l.Column != "" {
			out = append(out, l.Table+"."+l.Column)
		} else {
			out = append(out, l.Table)
		}
	}
	return out
}

func sqlRevision(id, parent, up, down string) string {
	head := "-- strata:revision " + id + "\n"
	if parent != "" {
		head += "-- strata:parents " + parent + "\n"
	}
	return head + "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n"
}

const guardSetup = "CREATE TABLE t (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));\n" +
	"INSERT INTO t (id, title) VALUES (1, 'a much longer title'), (2, 'short');\n" +
	"CREATE TABLE u (id INTEGER PRIMARY KEY);"

// TestGuardJudgesByEffect: where DDL is transactional, the data-loss guard
// judges a revision by what it does to tables that hold rows, however its
// SQL is spelled: each revision below either loses data (stopped, rolled
// back, the rows intact) or keeps it (applied).
func TestGuardJudgesByEffect(t *testing.T) {
	cases := []struct {
		name    string
		only    string // a dialect, when the SQL is that dialect's
		up      string
		want    []string // losses; nil means the revision applies
		example string
	}{
		{name: "rename then drop the renamed table", up: "ALTER TABLE t RENAME TO t2;\nDROP TABLE t2;", want: []string{"t"}},
		{name: "create if not exists then drop", up: "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY);\nDROP TABLE t;", want: []string{"t"}},
		{name: "comment inside the drop", up: "DROP /* c */ TABLE t;", want: []string{"t"}},
		{name: "drop in a list", only: "postgres", up: "DROP TABLE u, t;", want: []string{"t"}},
		{name: "drop a column holding values", up: "ALTER TABLE t DROP COLUMN title;", want: []string{"t.title"}, example: "a much longer title"},
		{name: "drop a column of NULLs", up: "ALTER TABLE t DROP COLUMN empty_col;"},
		{name: "drop an empty table", up: "DROP TABLE u;"},
		{name: "rebuild keeping the data", up: "CREATE TABLE t_new (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));\n" +
			"INSERT INTO t_new (id, title, empty_col) SELECT id, title, empty_col FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;"},
		{name: "rebuild dropping a column holding values", up: "CREATE TABLE t_new (id INTEGER PRIMARY KEY, empty_col VARCHAR(20));\n" +
			"INSERT INTO t_new (id, empty_col) SELECT id, empty_col FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;", want: []string{"t.title"}},
		{name: "rebuild dropping a column of NULLs", up: "CREATE TABLE t_new (id INTEGER PRIMARY KEY, title VARCHAR(500));\n" +
			"INSERT INTO t_new (id, title) SELECT id, title FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;"},
		{name: "rebuild keeping some rows", up: "CREATE TABLE t_new (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));\n" +
			"INSERT INTO t_new (id, title, empty_col) SELECT id, title, empty_col FROM t WHERE id = 2;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;",
			want: []string{"t.id", "t.title"}},
		{name: "rebuild cutting values", up: "CREATE TABLE t_new (id INTEGER PRIMARY KEY, title VARCHAR(5), empty_col VARCHAR(20));\n" +
			"INSERT INTO t_new (id, title, empty_col) SELECT id, substr(title, 1, 5), empty_col FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;",
			want: []string{"t.title"}, example: "a much longer title"},
		{name: "drop and create the same table", up: "DROP TABLE t;\nCREATE TABLE t (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));", want: []string{"t"}},
		{name: "drop and create the same table with other rows", up: "DROP TABLE t;\nCREATE TABLE t (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));\n" +
			"INSERT INTO t (id, title) VALUES (1, 'other'), (2, 'short');", want: []string{"t.title"}},
		{name: "drop beside a new empty table of the same columns", up: "CREATE TABLE t_copy (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));\nDROP TABLE t;",
			want: []string{"t"}},
		{name: "drop beside a table of the same columns that held rows", up: "DROP TABLE t;\nDELETE FROM u;", want: []string{"t"}},
		{name: "rename chain then drop", up: "ALTER TABLE t RENAME TO a;\nALTER TABLE a RENAME TO b;\nDROP TABLE b;", want: []string{"t"}},
		{name: "rename keeps the data", up: "ALTER TABLE t RENAME TO kept;"},
		{name: "rename then rebuild keeping the data", up: "ALTER TABLE t RENAME TO kept;\n" +
			"CREATE TABLE k_new (id INTEGER PRIMARY KEY, title VARCHAR(500), empty_col VARCHAR(20));\n" +
			"INSERT INTO k_new (id, title, empty_col) SELECT id, title, empty_col FROM kept;\nDROP TABLE kept;\nALTER TABLE k_new RENAME TO kept;"},
		{name: "rename then rebuild dropping a column holding values", up: "ALTER TABLE t RENAME TO kept;\n" +
			"CREATE TABLE k_new (id INTEGER PRIMARY KEY, empty_col VARCHAR(20));\n" +
			"INSERT INTO k_new (id, empty_col) SELECT id, empty_col FROM kept;\nDROP TABLE kept;\nALTER TABLE k_new RENAME TO kept;",
			want: []string{"t.title"}},
		{name: "rename a column then drop it", up: "ALTER TABLE t RENAME COLUMN title TO name;\nALTER TABLE t DROP COLUMN name;", want: []string{"t.title"}},
		{name: "rename a column keeps it", up: "ALTER TABLE t RENAME COLUMN title TO name;"},
		{name: "rename two columns keeps them", up: "ALTER TABLE t RENAME COLUMN title TO name;\nALTER TABLE t RENAME COLUMN empty_col TO other;"},
		{name: "drop a column and add one under its name", up: "ALTER TABLE t DROP COLUMN title;\nALTER TABLE t ADD COLUMN title VARCHAR(500);", want: []string{"t.title"}},
		{name: "delete some rows", up: "DELETE FROM t WHERE id = 1;"},
		{name: "delete every row", up: "DELETE FROM t;", want: []string{"t"}},
		{name: "truncate", only: "postgres", up: "TRUNCATE t;", want: []string{"t"}},
		{name: "USING NULL", only: "postgres", up: "ALTER TABLE t ALTER COLUMN title TYPE integer USING NULL;", want: []string{"t.title"}},
		{name: "narrowing cast", only: "postgres", up: `ALTER TABLE t ALTER COLUMN title TYPE varchar(5) USING title::varchar(5);`, want: []string{"t.title"}, example: "a much longer title"},
		{name: "widening", only: "postgres", up: "ALTER TABLE t ALTER COLUMN title TYPE varchar(900);\nALTER TABLE t ALTER COLUMN id TYPE bigint;"},
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		skipWithoutTransactionalDDL(t, dialect)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.only != "" && c.only != dialect {
					t.Skipf("%s SQL", c.only)
				}
				ctx := context.Background()
				url := testdb.URL(t, dialect)
				dir := t.TempDir()
				write(t, dir, "001_setup.sql", sqlRevision("001", "", guardSetup, "DROP TABLE u;\nDROP TABLE t;"))
				write(t, dir, "002_case.sql", sqlRevision("002", "001", c.up, ""))
				m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
				if err != nil {
					t.Fatal(err)
				}
				defer m.Close()
				// A dry run reports the same losses.
				reh, err := m.Rehearse(ctx, runner.Up, "head")
				if err != nil {
					t.Fatal(err)
				}
				if got := lossNames(t, reh.Err); !slices.Equal(got, c.want) {
					t.Fatalf("dry run: %v\nlosses %v, want %v", reh.Err, got, c.want)
				}
				if c.want == nil && reh.Err != nil {
					t.Fatalf("dry run: %v", reh.Err)
				}
				res, err := m.Upgrade(ctx, "head")
				got := lossNames(t, err)
				if c.want == nil {
					if err != nil || len(res) != 2 {
						t.Fatalf("upgrade: %v (%d applied); want both revisions applied", err, len(res))
					}
					return
				}
				if !slices.Equal(got, c.want) {
					t.Fatalf("upgrade: %v\nlosses %v, want %v", err, got, c.want)
				}
				if c.example != "" && !strings.Contains(err.Error(), c.example) {
					t.Errorf("the error shows no example %q: %v", c.example, err)
				}
				var n int
				var title string
				if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*), MAX(title) FROM t").Scan(&n, &title); err != nil || n != 2 || title != "short" {
					t.Fatalf("after the stopped revision t holds %d rows, max %q (%v); want 2, short", n, title, err)
				}
				st, err := m.Status(ctx)
				if err != nil || len(st.Current) != 1 || st.Current[0].ID != "001" {
					t.Fatalf("after the stopped revision: %v, %v; want at 001", st.Current, err)
				}
				// Forced, it runs.
				forced, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithForce())
				if err != nil {
					t.Fatal(err)
				}
				defer forced.Close()
				if _, err := forced.Upgrade(ctx, "head"); err != nil {
					t.Fatalf("forced upgrade: %v", err)
				}
			})
		}
	})
}

// TestGuardGoRevisions: a Go revision's ops go through the same guard.
func TestGuardGoRevisions(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		skipWithoutTransactionalDDL(t, dialect)
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_setup.sql", sqlRevision("001", "", guardSetup, "DROP TABLE u;\nDROP TABLE t;"))
		migrations := []strata.Migration{{
			Revision: "002", Parents: []string{"001"},
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.RenameTable("t", "renamed")
				op.DropColumn("renamed", "empty_col")
				op.DropColumn("renamed", "title")
				op.DropTable("u")
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error { return nil },
		}}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(migrations...), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		_, err = m.Upgrade(ctx, "head")
		if got := lossNames(t, err); !slices.Equal(got, []string{"t.title"}) {
			t.Fatalf("upgrade: %v\nlosses %v, want [t.title]", err, got)
		}
		var n int
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(title) FROM t").Scan(&n); err != nil || n != 2 {
			t.Fatalf("t.title after the stopped revision: %d values, %v", n, err)
		}
	})
}

// TestGuardFollowsTablesFilledInTheRun: a table created and filled by one
// revision and dropped by a later one in the same run holds rows by then.
// MySQL predicts the revisions after one that writes data again, each
// just before it runs.
func TestGuardFollowsTablesFilledInTheRun(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		create := "CREATE TABLE early (id INTEGER PRIMARY KEY);\nCREATE TABLE scratch (id INTEGER PRIMARY KEY);"
		fill := "INSERT INTO early (id) VALUES (1), (2), (3);\nINSERT INTO scratch (id) VALUES (1);\nDELETE FROM scratch;"
		drop := "DROP TABLE scratch;\nDROP TABLE early;"
		want := []string{"early"}
		if dialect == "postgres" {
			// Rows go into a partition; the partitioned table holds them.
			create += "\nCREATE TABLE parted (id INTEGER NOT NULL) PARTITION BY RANGE (id);\nCREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100);"
			fill += "\nINSERT INTO parted (id) VALUES (5);"
			drop += "\nDROP TABLE parted;"
			want = append(want, "parted")
		}
		write(t, dir, "001_create.sql", sqlRevision("001", "", create, ""))
		write(t, dir, "002_fill.sql", sqlRevision("002", "001", fill, ""))
		write(t, dir, "003_drop.sql", sqlRevision("003", "002", drop, ""))
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		res, err := m.Upgrade(ctx, "head")
		if got := lossNames(t, err); !slices.Equal(got, want) || len(res) != 2 {
			t.Fatalf("upgrade: %v (%d applied)\nlosses %v, want %v after 2 revisions", err, len(res), got, want)
		}
		if !strings.Contains(err.Error(), "3 row(s)") {
			t.Errorf("the error does not count the rows: %v", err)
		}
	})
}

// TestTypeChangeCasts: narrowing a column by the models (size:500 to
// size:5), or by the generated downgrade of a widening (200 to 500),
// never cuts a value: on PostgreSQL the revision stops with the count and
// one example, --force or not (strata never cuts values itself); SQLite
// keeps every value as it is, since it does not enforce lengths.
func TestTypeChangeCasts(t *testing.T) {
	long := "a much longer title"
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		skipWithoutTransactionalDDL(t, dialect)
		ctx := context.Background()
		check := func(t *testing.T, m *strata.Migrator, err error, value string) {
			t.Helper()
			if dialect == "postgres" {
				if err == nil || !strings.Contains(err.Error(), "1 row(s)") || !strings.Contains(err.Error(), value[:10]) {
					t.Fatalf("narrowing over a longer value: %v; want a stop naming 1 row and the value", err)
				}
			} else if err != nil {
				t.Fatalf("narrowing on SQLite: %v", err)
			}
			var got string
			if err := m.DB().QueryRowContext(ctx, "SELECT title FROM posts WHERE id = 1").Scan(&got); err != nil || got != value {
				t.Fatalf("title = %q (%v), want %q kept", got, err, value)
			}
		}
		t.Run("models", func(t *testing.T) {
			url := testdb.URL(t, dialect)
			dir := t.TempDir()
			m := openPosts(t, url, dir, &post500{})
			if _, err := m.Autogenerate(ctx, "posts"); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if _, err := m.DB().ExecContext(ctx, "INSERT INTO posts (id, title) VALUES (1, '"+long+"'), (2, 'short')"); err != nil {
				t.Fatal(err)
			}
			m5 := openPosts(t, url, dir, &post5{})
			if _, err := m5.Autogenerate(ctx, "narrow"); err != nil {
				t.Fatal(err)
			}
			_, err := m5.Upgrade(ctx, "head")
			check(t, m5, err, long)
			forced := openPosts(t, url, dir, &post5{}, strata.WithForce())
			_, err = forced.Upgrade(ctx, "head")
			check(t, forced, err, long)
		})
		t.Run("generated downgrade", func(t *testing.T) {
			url := testdb.URL(t, dialect)
			dir := t.TempDir()
			m := openPosts(t, url, dir, &post200{})
			if _, err := m.Autogenerate(ctx, "posts"); err != nil {
				t.Fatal(err)
			}
			m500 := openPosts(t, url, dir, &post500{})
			if _, err := m500.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if _, err := m500.Autogenerate(ctx, "widen"); err != nil {
				t.Fatal(err)
			}
			if _, err := m500.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			value := strings.Repeat("x", 300)
			if _, err := m500.DB().ExecContext(ctx, "INSERT INTO posts (id, title) VALUES (1, '"+value+"')"); err != nil {
				t.Fatal(err)
			}
			_, err := m500.Downgrade(ctx, "-1")
			check(t, m500, err, value)
		})
	})
}

type post500 struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:500"`
}

type post5 struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:5"`
}

type post200 struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:200"`
}

func (post500) TableName() string { return "posts" }
func (post5) TableName() string   { return "posts" }
func (post200) TableName() string { return "posts" }

func openPosts(t *testing.T, url, dir string, model any, more ...strata.Option) *strata.Migrator {
	t.Helper()
	m, err := strata.Open(context.Background(), url, append([]strata.Option{strata.WithDir(dir), strata.WithModels(model), strata.WithoutGlobalRegistry()}, more...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// TestGuardDowngradeSaysUndone: a downgrade the guard stops after it
// undid a revision says that revision stays undone, never "applied"; on
// MySQL, which predicts the whole run first, nothing was changed.
func TestGuardDowngradeSaysUndone(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_keep.sql", sqlRevision("001", "", "CREATE TABLE keep (id INTEGER PRIMARY KEY);\nINSERT INTO keep (id) VALUES (1);", "DROP TABLE keep;"))
		write(t, dir, "002_side.sql", sqlRevision("002", "001", "CREATE TABLE side (id INTEGER PRIMARY KEY);", "DROP TABLE side;"))
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		res, err := m.Downgrade(ctx, "base")
		if got := lossNames(t, err); !slices.Equal(got, []string{"keep"}) {
			t.Fatalf("downgrade: %v, losses %v", err, got)
		}
		msg := err.Error()
		if strings.Contains(msg, "stay applied") {
			t.Errorf("a downgrade's message says applied: %s", msg)
		}
		switch {
		case len(res) == 1 && res[0].Revision.ID == "002":
			if !strings.Contains(msg, "Completed before it in this run, and stay undone: 002.") {
				t.Errorf("the message does not say 002 stays undone: %s", msg)
			}
		case len(res) == 0:
			if !strings.Contains(msg, "Nothing was changed.") {
				t.Errorf("nothing ran, and the message does not say so: %s", msg)
			}
		default:
			t.Fatalf("downgrade undid %d revision(s) before the guard stopped it", len(res))
		}
	})
}
