package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/strata-go/strata/schema"
)

func TestVersionStore(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	ctx := context.Background()
	const table = "strata `revisions`"
	mustExec(t, db, d.CreateVersionTable(table), d.CreateVersionTable(table))
	mustExec(t, db,
		d.InsertVersion(table, "20260101000000", `it's a \ checksum`, 12),
		d.InsertVersion(table, "20260102000000", "abc", 3),
	)

	list := func() [][4]string {
		rows, err := db.QueryContext(ctx, d.ListVersions(table))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][4]string
		for rows.Next() {
			var r [4]string
			if err := rows.Scan(&r[0], &r[1], &r[2], &r[3]); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := list()
	if len(got) != 2 {
		t.Fatalf("listed %d revisions, want 2", len(got))
	}
	if got[0][0] != "20260101000000" || got[0][1] != `it's a \ checksum` || got[0][3] != "12" || got[1][0] != "20260102000000" {
		t.Errorf("listed %q", got)
	}
	at, err := time.Parse("2006-01-02 15:04:05.999999", got[0][2])
	// The server's time zone is its own; a day either way is enough to
	// see that the default filled it in.
	if err != nil || time.Until(at).Abs() > 24*time.Hour {
		t.Errorf("applied_at %q: %v", got[0][2], err)
	}

	mustExec(t, db, d.DeleteVersion(table, "20260101000000"))
	if got := list(); len(got) != 1 || got[0][0] != "20260102000000" {
		t.Errorf("after delete: %q", got)
	}

	s := inspect(t, d, db)
	tb, ok := s.Table(table)
	if !ok {
		t.Fatal("version table not inspected")
	}
	if c, _ := tb.Column("applied_at"); c.Default != (schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}) || c.Nullable {
		t.Errorf("applied_at: %+v", c)
	}
	if tb.PrimaryKey == nil || tb.PrimaryKey.Columns[0] != "revision" {
		t.Errorf("primary key %+v", tb.PrimaryKey)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	var version string
	if err := db.QueryRowContext(context.Background(), "SELECT VERSION()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if d.Version() != version {
		t.Errorf("Version() = %q, want %q", d.Version(), version)
	}
	if want := containsFold(version, "mariadb"); d.MariaDB() != want {
		t.Errorf("MariaDB() = %t for %q", d.MariaDB(), version)
	}
	if d.Name() != "mysql" || d.Capabilities().TransactionalDDL {
		t.Errorf("Name %q, capabilities %+v", d.Name(), d.Capabilities())
	}
	if got := d.QuoteIdent("a`b"); got != "`a``b`" {
		t.Errorf("QuoteIdent = %s", got)
	}
}
