package mysql_test

import (
	"context"
	"slices"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// TestInspectUnmanaged lists what the database holds that strata does
// not model: on MariaDB, sequences and system-versioned tables. Routines,
// events, partitioning, invisible columns and ignored (invisible) indexes
// are modelled and not listed; the objects of an excluded table go with
// it.
func TestInspectUnmanaged(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	mariaDB := d.MariaDB()
	hidden := "INVISIBLE"
	if mariaDB {
		hidden = "IGNORED"
	}
	stmts := []string{
		`CREATE TABLE t (id int PRIMARY KEY, a int INVISIBLE, b int, KEY ib (b) ` + hidden + `)`,
		`CREATE TABLE p (id int) PARTITION BY HASH (id) PARTITIONS 2`,
		`CREATE TABLE hidden (id int, h int INVISIBLE) PARTITION BY HASH (id) PARTITIONS 2`,
		`CREATE FUNCTION f() RETURNS int RETURN 1`,
		`CREATE PROCEDURE pr() SELECT 1`,
		`CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1`,
	}
	// Routines, events, partitioning, invisible columns and ignored
	// indexes are modelled: none of them is listed.
	var want []schema.Unmanaged
	if mariaDB {
		stmts = append(stmts, `CREATE SEQUENCE s1`, `CREATE TABLE v (id int) WITH SYSTEM VERSIONING`)
		want = append(want, schema.Unmanaged{Kind: "sequence", Name: "s1"}, schema.Unmanaged{Kind: "system-versioned table", Name: "v"})
	}
	mustExec(t, db, stmts...)
	s, err := d.Inspect(context.Background(), db, dialect.InspectOptions{Exclude: []string{"hidden"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Unmanaged, want) {
		t.Errorf("Unmanaged:\n got %v\nwant %v", s.Unmanaged, want)
	}

	db2, d2 := fresh(t)
	mustExec(t, db2, `CREATE TABLE u (id int PRIMARY KEY, b int, KEY ib (b))`, `CREATE VIEW w AS SELECT id FROM u`,
		"CREATE TRIGGER tr BEFORE INSERT ON u FOR EACH ROW SET NEW.b = 1")
	if s := inspect(t, d2, db2); len(s.Unmanaged) != 0 {
		t.Errorf("Unmanaged of a managed schema: %v", s.Unmanaged)
	}
}
