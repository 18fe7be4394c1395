package sqlite

import "github.com/strata-go/strata/dialect"

var _ dialect.StatementClassifier = Dialect{}

// Transactional reports whether statement runs inside a transaction and
// commits or rolls back with it. In SQLite that is every statement, DDL
// included, but the ones a transaction changes or refuses: PRAGMA (some,
// such as foreign_keys, do nothing inside one), VACUUM, ATTACH and DETACH,
// and the transaction statements themselves. A -- strata:no-transaction
// revision's transactional statements commit one by one, each with its
// progress record, so that a crash half-way never runs one twice.
func (Dialect) Transactional(statement string) bool {
	tokens := tokenize(statement)
	if len(tokens) == 0 || tokens[0].kind != tokWord {
		return false // a statement starts with a keyword
	}
	for _, kw := range []string{"PRAGMA", "VACUUM", "ATTACH", "DETACH", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"} {
		if tokens[0].is(kw) {
			return false
		}
	}
	return true
}

var _ dialect.TransactionEnder = Dialect{}

// EndsTransaction reports whether statement ends the transaction it runs
// in: COMMIT, END, ROLLBACK (not ROLLBACK TO a savepoint).
func (Dialect) EndsTransaction(statement string) bool {
	tokens := tokenize(statement)
	if len(tokens) == 0 {
		return false
	}
	switch {
	case tokens[0].is("COMMIT"), tokens[0].is("END"):
		return true
	case tokens[0].is("ROLLBACK"):
		for _, t := range tokens[1:] {
			if t.is("TO") {
				return false
			}
		}
		return true
	}
	return false
}
