package postgres_test

import (
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
)

// TestTransactional: statements that refuse a transaction block are told
// apart by their words, not by text in comments, strings or dollar quotes.
func TestTransactional(t *testing.T) {
	d := &postgres.Dialect{}
	for stmt, want := range map[string]bool{
		"CREATE TABLE t (a int)":                                    true,
		"INSERT INTO t VALUES (1)":                                  true,
		"ALTER TABLE t ADD COLUMN b int":                            true,
		"CREATE INDEX CONCURRENTLY i ON t (a)":                      false,
		"create unique index concurrently if not exists i on t (a)": false,
		"DROP INDEX CONCURRENTLY i":                                 false,
		"REINDEX INDEX CONCURRENTLY i":                              false,
		"VACUUM t":                                                  false,
		"CREATE DATABASE x":                                         false,
		"ALTER SYSTEM SET work_mem = '1MB'":                         false,
		"CALL p()":                                                  false,
		"DO $$ BEGIN COMMIT; END $$":                                false,
		"-- CONCURRENTLY\nCREATE INDEX i ON t (a)":                  true,
		"/* a /* nested */ CONCURRENTLY */ CREATE INDEX i ON t (a)": true,
		"INSERT INTO t VALUES ('CONCURRENTLY')":                     true,
		"INSERT INTO t VALUES (E'it\\'s CONCURRENTLY')":             true,
		`CREATE TABLE "CONCURRENTLY" (a int)`:                       true,
		"CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1 /* VACUUM */ $body$ LANGUAGE sql": true,
		"UPDATE t SET a = $1":         true,
		"INSERT INTO t VALUES ('open": false,
		"":                            false,
	} {
		if got := d.Transactional(stmt); got != want {
			t.Errorf("Transactional(%q) = %t, want %t", stmt, got, want)
		}
	}
}

// TestEndsTransaction: the statements that end the transaction block a
// dry run rehearses in, read by their words.
func TestEndsTransaction(t *testing.T) {
	d := &postgres.Dialect{}
	for stmt, want := range map[string]bool{
		"COMMIT":                              true,
		"commit work":                         true,
		"END":                                 true,
		"ABORT":                               true,
		"ROLLBACK":                            true,
		"ROLLBACK TO SAVEPOINT s":             false,
		"rollback to s":                       false,
		"PREPARE TRANSACTION 'x'":             true,
		"PREPARE q AS SELECT 1":               false,
		"DO $$ BEGIN COMMIT; END $$":          false,
		"-- COMMIT\nINSERT INTO t VALUES (1)": false,
		"INSERT INTO t VALUES ('COMMIT')":     false,
		"SAVEPOINT s":                         false,
	} {
		if got := d.EndsTransaction(stmt); got != want {
			t.Errorf("EndsTransaction(%q) = %t, want %t", stmt, got, want)
		}
	}
}
