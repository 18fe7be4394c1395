package postgres_test

import (
	"context"
	"strings"
	"testing"
)

// TestFingerprint: every kind of DDL moves the fingerprint, no DML (nor
// VACUUM, ANALYZE, REINDEX) does, and strata's own tables are left out;
// both for the whole schema and for the part a statement can change (as
// the runner takes it).
func TestFingerprint(t *testing.T) {
	db, d := freshDB(t)
	ctx := context.Background()
	exclude := []string{"strata_revisions", "strata_revisions_progress"}
	fp := func(stmt string) string {
		t.Helper()
		s, err := d.Fingerprint(ctx, db, stmt, exclude)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mustExec(t, db, "CREATE TABLE p (id int PRIMARY KEY)", "CREATE TABLE strata_revisions_progress (x int PRIMARY KEY)")
	steps := []struct {
		stmt    string
		changes bool
	}{
		{"CREATE TABLE t (id serial PRIMARY KEY, a varchar(10), p int)", true},
		{"INSERT INTO t (a) VALUES ('x'), ('y')", false},
		{"UPDATE t SET a = 'z'", false},
		{"DELETE FROM t WHERE a = 'nothing'", false},
		{"SELECT nextval('t_id_seq')", false},
		{"ALTER TABLE t ADD COLUMN b int", true},
		{"ALTER TABLE t ALTER a TYPE varchar(20)", true},
		{"ALTER TABLE t ALTER a SET NOT NULL", true},
		{"ALTER TABLE t ALTER a SET DEFAULT 'd'", true},
		{"COMMENT ON TABLE t IS 'c'", true},
		{"COMMENT ON COLUMN t.b IS 'b'", true},
		{"CREATE INDEX CONCURRENTLY t_a ON t (a)", true},
		{"ALTER INDEX t_a RENAME TO t_a2", true},
		{"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b ON ONLY t (b)", true},
		{"CREATE INDEX CONCURRENTLY ON t (a, b)", true},
		{"REINDEX INDEX CONCURRENTLY t_b", false},
		{"REINDEX TABLE CONCURRENTLY t", false},
		{"VACUUM t", false},
		{"ANALYZE t", false},
		{"ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (p) REFERENCES p (id) NOT VALID", true},
		{"ALTER TABLE t VALIDATE CONSTRAINT t_p", true},
		{"ALTER TABLE t DROP CONSTRAINT t_p", true},
		{"ALTER TABLE t ADD CONSTRAINT t_chk CHECK (b > 0)", true},
		{"CREATE VIEW v AS SELECT a FROM t", true},
		{"CREATE OR REPLACE VIEW v AS SELECT a, b FROM t", true},
		{"CREATE FUNCTION fn(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1'", true},
		{"CREATE OR REPLACE FUNCTION fn(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2'", true},
		{"CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$", true},
		{"CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tg()", true},
		{"ALTER TABLE t DISABLE TRIGGER t_bi", true},
		{"CREATE TYPE mood AS ENUM ('a', 'b')", true},
		{"ALTER TYPE mood ADD VALUE 'c'", true},
		{"CREATE DOMAIN pos AS int CHECK (VALUE > 0)", true},
		{"CREATE SEQUENCE s", true},
		{"ALTER SEQUENCE s INCREMENT BY 2", true},
		{"CREATE TABLE IF NOT EXISTS t (x int)", false},
		{`ALTER TABLE "t" ADD COLUMN "C" int`, true},
		{"DROP INDEX CONCURRENTLY t_b", true},
		{"DROP INDEX t_a2", true},
		{"TRUNCATE t", false},
		{"ALTER TABLE t RENAME TO t2", true},
		{"INSERT INTO strata_revisions_progress VALUES (1)", false},
		{"CREATE INDEX strata_p_x ON strata_revisions_progress (x)", false},
		{"DROP TABLE strata_revisions_progress", false},
		{"DROP VIEW v", true},
		{"DROP TABLE t2", true},
	}
	if a, b := fp(""), fp(""); a != b {
		t.Fatalf("two fingerprints of one schema differ: %s, %s", a, b)
	}
	for _, s := range steps {
		whole, scoped := fp(""), fp(s.stmt)
		mustExec(t, db, s.stmt)
		if changed := fp("") != whole; changed != s.changes {
			t.Errorf("%s: the whole schema's fingerprint changed %t, want %t", s.stmt, changed, s.changes)
		}
		if changed := fp(s.stmt) != scoped; changed != s.changes {
			t.Errorf("%s: the statement's fingerprint changed %t, want %t", s.stmt, changed, s.changes)
		}
	}
	// CREATE and DROP DATABASE: the one they name.
	name := "strata_fp_" + strings.ReplaceAll(t.Name(), "/", "_")
	stmt := "CREATE DATABASE " + strings.ToLower(name)
	before := fp(stmt)
	mustExec(t, db, stmt)
	t.Cleanup(func() { db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+strings.ToLower(name)) })
	if fp(stmt) == before {
		t.Errorf("%s did not move its fingerprint", stmt)
	}
}

// TestSettle: an index a cancelled CREATE INDEX CONCURRENTLY left invalid
// is dropped, so that the statement reads as not done (its fingerprint as
// before it) and runs again; valid indexes and other statements' invalid
// leftovers are kept.
func TestSettle(t *testing.T) {
	db, d := freshDB(t)
	ctx := context.Background()
	mustExec(t, db,
		"CREATE TABLE t (id int PRIMARY KEY, a int)",
		"INSERT INTO t SELECT g, g % 3 FROM generate_series(1, 20) g",
		"CREATE INDEX t_keep ON t (a)",
		// A build that fails leaves its index invalid, as one killed does.
		"CREATE TABLE u (id int PRIMARY KEY, a int)",
		"INSERT INTO u VALUES (1, 1), (2, 1)",
	)
	for _, s := range []string{"CREATE UNIQUE INDEX CONCURRENTLY t_a ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY u_a ON u (a)"} {
		if _, err := db.ExecContext(ctx, s); err == nil {
			t.Fatalf("%s: want a unique violation", s)
		}
	}
	invalid := func() string {
		t.Helper()
		var names string
		if err := db.QueryRowContext(ctx, `SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname), '') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid`).Scan(&names); err != nil {
			t.Fatal(err)
		}
		return names
	}
	if got := invalid(); got != "t_a,t_a_idx,u_a" {
		t.Fatalf("invalid indexes %q, want t_a,t_a_idx,u_a", got)
	}
	stmt := "CREATE INDEX CONCURRENTLY t_a ON t (a)"
	did, err := d.Settle(ctx, db, stmt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(did, "t_a") || invalid() != "t_a_idx,u_a" {
		t.Fatalf("Settle(%s) = %q, invalid indexes left %q; want t_a dropped only", stmt, did, invalid())
	}
	if did, err := d.Settle(ctx, db, "CREATE INDEX CONCURRENTLY ON t (a)"); err != nil || invalid() != "u_a" {
		t.Fatalf("Settle of an unnamed build = %q, %v; invalid indexes left %q, want u_a", did, err, invalid())
	}
	for _, s := range []string{"DROP INDEX CONCURRENTLY u_a", "CREATE INDEX t_b ON t (a)", "REINDEX TABLE CONCURRENTLY t", "CREATE INDEX CONCURRENTLY t_keep ON t (a)"} {
		if did, err := d.Settle(ctx, db, s); err != nil || did != "" || invalid() != "u_a" {
			t.Fatalf("Settle(%s) = %q, %v; invalid indexes left %q, want u_a", s, did, err, invalid())
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM pg_indexes WHERE indexname = 't_keep'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("t_keep: %d, %v", n, err)
	}
	mustExec(t, db, stmt)
}
