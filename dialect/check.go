package dialect

import "context"

// StatementChecker is implemented by dialects that read a revision's
// statements before any of them runs, for harm that no statement would
// report: SQLite reads its table rebuilds, written by strata or by hand,
// for triggers the rebuild would lose and for foreign key actions that
// dropping the old table would fire. The runner calls it for each
// revision, inside the revision's transaction where it has one, and
// refuses to run the revision when it returns a Refusal.
type StatementChecker interface {
	// CheckStatements reads statements as they would run now on the
	// database q reaches. inTransaction tells whether they run in one
	// transaction (where, on SQLite, PRAGMA foreign_keys is a no-op).
	CheckStatements(ctx context.Context, q Querier, statements []string, inTransaction bool) (*Refusal, error)
}

// Refusal says why a revision must not run.
type Refusal struct {
	// Statement is the index of the statement at fault.
	Statement int
	// Table is the table it concerns.
	Table string
	// Reason says what would go wrong; Fix what to do about it.
	Reason, Fix string
}
