package sqlite_test

import (
	"testing"

	"github.com/strata-go/strata/dialect/sqlite"
)

// TestEndsTransaction: the statements that end the transaction a dry run
// rehearses in, read by their words.
func TestEndsTransaction(t *testing.T) {
	for stmt, want := range map[string]bool{
		"COMMIT":                              true,
		"commit transaction":                  true,
		"END":                                 true,
		"ROLLBACK":                            true,
		"ROLLBACK TO s":                       false,
		"ROLLBACK TRANSACTION TO SAVEPOINT s": false,
		"SAVEPOINT s":                         false,
		"-- COMMIT\nINSERT INTO t VALUES (1)": false,
		"INSERT INTO t VALUES ('COMMIT')":     false,
	} {
		if got := (sqlite.Dialect{}).EndsTransaction(stmt); got != want {
			t.Errorf("EndsTransaction(%q) = %t, want %t", stmt, got, want)
		}
	}
}

// TestTransactional: the statements a transaction changes or refuses are
// told apart by their first word, not by text in comments, strings or
// quoted names; every other statement, DDL included, is transactional.
func TestTransactional(t *testing.T) {
	for stmt, want := range map[string]bool{
		"CREATE TABLE t (a INT)":             true,
		"ALTER TABLE t ADD COLUMN b INT":     true,
		"DROP TABLE t":                       true,
		"INSERT INTO t VALUES (1)":           true,
		"  update t set a = 1":               true,
		"PRAGMA foreign_keys = OFF":          false,
		"pragma user_version":                false,
		"VACUUM":                             false,
		"ATTACH DATABASE 'x.db' AS x":        false,
		"DETACH x":                           false,
		"BEGIN":                              false,
		"COMMIT":                             false,
		"END TRANSACTION":                    false,
		"ROLLBACK TO s":                      false,
		"SAVEPOINT s":                        false,
		"RELEASE s":                          false,
		"-- VACUUM\nCREATE INDEX i ON t (a)": true,
		"/* PRAGMA */ DELETE FROM t":         true,
		"INSERT INTO t VALUES ('VACUUM')":    true,
		`CREATE TABLE "PRAGMA" (a INT)`:      true,
		"":                                   false,
		"-- only a comment":                  false,
		"(SELECT 1)":                         false,
	} {
		if got := (sqlite.Dialect{}).Transactional(stmt); got != want {
			t.Errorf("Transactional(%q) = %t, want %t", stmt, got, want)
		}
	}
}
