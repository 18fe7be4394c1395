package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestVersionStore runs the version-table statements: creation twice,
// inserts with values that need quoting, listing in order, deletion.
func TestVersionStore(t *testing.T) {
	t.Parallel()
	db, d := freshDB(t)
	ctx := context.Background()
	const table = "Strata Revisions"
	mustExec(t, db, d.CreateVersionTable(table), d.CreateVersionTable(table))

	// One transaction, as a runner applying two revisions at once would.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx,
		d.InsertVersion(table, "20260102000000", "it's", 12),
		d.InsertVersion(table, "20260101000000", `back\slash`, 3),
	)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, d.InsertVersion(table, "20260103000000", "c3", 0))

	type row struct {
		revision, checksum, appliedAt string
		duration                      int64
	}
	list := func() []row {
		t.Helper()
		rows, err := db.QueryContext(ctx, d.ListVersions(table))
		if err != nil {
			t.Fatalf("ListVersions: %v", err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.revision, &r.checksum, &r.appliedAt, &r.duration); err != nil {
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
	var revs, sums []string
	for _, r := range got {
		revs = append(revs, r.revision)
		sums = append(sums, r.checksum)
		// applied_at::text looks like 2026-01-02 03:04:05.123456+00.
		if _, err := time.Parse("2006-01-02 15:04:05.999999-07", r.appliedAt); err != nil {
			t.Errorf("applied_at %q: %v", r.appliedAt, err)
		}
	}
	// Listed in the order applied, not by revision id.
	if want := []string{"20260102000000", "20260101000000", "20260103000000"}; !slices.Equal(revs, want) {
		t.Errorf("revisions %v, want %v", revs, want)
	}
	if want := []string{"it's", `back\slash`, "c3"}; !slices.Equal(sums, want) {
		t.Errorf("checksums %q, want %q", sums, want)
	}
	if got[0].duration != 12 {
		t.Errorf("duration %d, want 12", got[0].duration)
	}

	mustExec(t, db, d.DeleteVersion(table, "20260101000000"))
	if got := list(); len(got) != 2 || got[1].revision != "20260103000000" {
		t.Errorf("after delete: %v", got)
	}

	// A revision id too long for the column is rejected, not truncated.
	if _, err := db.ExecContext(ctx, d.InsertVersion(table, strings.Repeat("9", 65), "x", 1)); err == nil {
		t.Errorf("a 65-character revision was accepted")
	}
	for _, stmt := range []string{d.CreateVersionTable(table), d.InsertVersion(table, "r", "c", 1), d.DeleteVersion(table, "r"), d.ListVersions(table)} {
		if strings.Contains(stmt, "$1") || strings.HasSuffix(stmt, ";") {
			t.Errorf("statement has a placeholder or a semicolon: %s", stmt)
		}
	}
}
