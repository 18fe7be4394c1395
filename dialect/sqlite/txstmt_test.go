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
