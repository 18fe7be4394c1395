package strata_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// TestLintRewriteMatchesRelfilenode: PG104 says a type change rewrites
// the table exactly when PostgreSQL gives the table new storage (a new
// pg_class.relfilenode): widening a varchar (as strata migrate writes it,
// character varying(n)), varchar to text and numeric to a larger
// precision at the same scale change only the catalog; integer to bigint
// and a varchar narrowed rewrite. PostgreSQL only: the rule is.
func TestLintRewriteMatchesRelfilenode(t *testing.T) {
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	url := testdb.URL(t, "postgres")
	dir := t.TempDir()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\n"+
		"CREATE TABLE t (id integer NOT NULL PRIMARY KEY, v varchar(50), s varchar(20), n numeric(10,2), i integer, w varchar(30));\n"+
		"INSERT INTO t VALUES (1, 'a', 'b', 1.50, 7, 'c');\n-- migrate:down\nDROP TABLE t;\n")
	m := open(t, url, dir)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		alter    string
		rewrites bool
	}{
		{`ALTER TABLE "t" ALTER COLUMN "v" TYPE character varying(100)`, false},
		{`ALTER TABLE t ALTER COLUMN s TYPE text`, false},
		{`ALTER TABLE t ALTER COLUMN n TYPE numeric(14,2)`, false},
		{`ALTER TABLE t ALTER COLUMN i TYPE bigint`, true},
		{`ALTER TABLE t ALTER COLUMN w TYPE varchar(10)`, true},
	}
	for i, tc := range cases {
		id := fmt.Sprintf("%03d", i+2)
		write(t, dir, id+".sql", fmt.Sprintf("-- strata:revision %s\n-- strata:parents %03d\n-- migrate:up\n%s;\n-- migrate:down\nSELECT 1;\n", id, i+1, tc.alter))
		m := open(t, url, dir)
		findings, err := m.Lint(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		flagged := false
		for _, f := range findings {
			flagged = flagged || f.Rule == "PG104"
		}
		node := func() (n int64) {
			if err := m.DB().QueryRowContext(ctx, "SELECT relfilenode FROM pg_class WHERE oid = 't'::regclass").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := node()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		rewrote := node() != before
		if rewrote != tc.rewrites || flagged != rewrote {
			t.Errorf("%s: PostgreSQL rewrote the table: %t (want %t); lint says it rewrites: %t (%v)", tc.alter, rewrote, tc.rewrites, flagged, findings)
		}
	}
}

// TestMigrateLintNamesTheLine: the findings on a revision migrate just
// wrote name the file and the line of the statement in it, never line 0.
func TestMigrateLintNamesTheLine(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		open := func(model any) *strata.Migrator {
			m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(model))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			return m
		}
		m := open(lintPersonBefore{})
		if _, err := m.Autogenerate(ctx, "people"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		m = open(lintPerson{})
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := m.WriteRevision(ctx, "drop note", plan)
		if err != nil {
			t.Fatal(err)
		}
		findings := m.LintRevision(rev, plan.Current)
		if len(findings) == 0 {
			t.Fatal("no finding on a dropped column")
		}
		data, err := os.ReadFile(filepath.Join(dir, rev.Path))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for _, f := range findings {
			file, at, _ := strings.Cut(f.Where, ":")
			n, err := strconv.Atoi(at)
			if file != rev.Path || err != nil || n < 1 || n > len(lines) {
				t.Fatalf("finding at %q, want %s:LINE", f.Where, rev.Path)
			}
			if !strings.Contains(strings.ToLower(lines[n-1]), "drop column") {
				t.Fatalf("finding at %s, whose line is %q, not the statement it is about:\n%s", f.Where, lines[n-1], data)
			}
		}
	})
}

type lintPersonBefore struct {
	ID   int64  `db:"id" strata:"pk"`
	Name string `db:"name" strata:"size:50"`
	Note string `db:"note" strata:"size:50"`
}

func (lintPersonBefore) TableName() string { return "people" }

type lintPerson struct {
	ID   int64  `db:"id" strata:"pk"`
	Name string `db:"name" strata:"size:50"`
}

func (lintPerson) TableName() string { return "people" }

// TestLintInPlaceMatchesMySQL: MY201 flags a VARCHAR widening exactly
// when InnoDB refuses to run it with ALGORITHM=INPLACE: when the length
// of a value goes from one byte to two (past 255 bytes, 4 to a utf8mb4
// character). MySQL and MariaDB only: the rule is. (MariaDB also widens
// in place from at most 127 bytes, where MySQL copies; lint follows
// MySQL, and the cases here are those both agree on.)
func TestLintInPlaceMatchesMySQL(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	dir := t.TempDir()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\n"+
		"CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, a VARCHAR(20) NOT NULL, b VARCHAR(50) NOT NULL, c VARCHAR(100) NOT NULL, d VARCHAR(100) NOT NULL) DEFAULT CHARSET utf8mb4;\n"+
		"INSERT INTO t VALUES (1, 'a', 'b', 'c', 'd');\n-- migrate:down\nDROP TABLE t;\n")
	m := open(t, url, dir)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	for _, alter := range []string{
		"ALTER TABLE `t` MODIFY COLUMN `a` VARCHAR(60) NOT NULL",  // 80 to 240 bytes
		"ALTER TABLE `t` MODIFY COLUMN `b` VARCHAR(100) NOT NULL", // 200 to 400 bytes
		"ALTER TABLE `t` MODIFY COLUMN `c` VARCHAR(200) NOT NULL", // 400 to 800 bytes
		"ALTER TABLE `t` MODIFY COLUMN `d` BIGINT NOT NULL",
	} {
		write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\n"+alter+";\n-- migrate:down\nSELECT 1;\n")
		m := open(t, url, dir)
		findings, err := m.Lint(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		flagged := false
		for _, f := range findings {
			flagged = flagged || f.Rule == "MY201"
		}
		_, err = m.DB().ExecContext(ctx, alter+", ALGORITHM=INPLACE")
		if copies := err != nil; copies != flagged {
			t.Errorf("%s: InnoDB refuses ALGORITHM=INPLACE: %v; lint says it copies: %t (%v)", alter, err, flagged, findings)
		}
	}
}
