package postgres

import (
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.StatementClassifier = (*Dialect)(nil)

// Transactional reports whether statement may run inside a transaction
// block and commits or rolls back with it, which is true of nearly all of
// PostgreSQL's statements, DDL included: not of those that refuse a
// transaction block (anything CONCURRENTLY, VACUUM, CREATE/DROP DATABASE
// and TABLESPACE, ALTER SYSTEM, REINDEX DATABASE/SYSTEM, CLUSTER without a
// table), of CALL and DO (which may commit themselves), nor of the
// transaction statements. A -- strata:no-transaction revision's
// transactional statements commit one by one, each with its progress
// record, so that a crash half-way never runs one twice; the others run
// alone.
//
// It reads the statement's words with Lex (outside strings, quoted names,
// dollar quotes and comments); a statement it cannot read to the end is not
// transactional (it runs alone, as before).
func (*Dialect) Transactional(statement string) bool {
	words, ok := topWords(statement)
	if !ok || len(words) == 0 {
		return false
	}
	for _, w := range words {
		if w == "CONCURRENTLY" {
			return false
		}
	}
	switch words[0] {
	case "VACUUM", "CALL", "DO", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE", "CHECKPOINT":
		return false
	case "CLUSTER":
		return len(words) > 1 && words[1] != "VERBOSE"
	case "CREATE", "DROP":
		if len(words) > 1 && (words[1] == "DATABASE" || words[1] == "TABLESPACE") {
			return false
		}
	case "ALTER":
		if len(words) > 1 && words[1] == "SYSTEM" {
			return false
		}
	case "REINDEX":
		if len(words) > 1 && (words[1] == "DATABASE" || words[1] == "SYSTEM") {
			return false
		}
	}
	return true
}

// topWords returns the bare words of statement, upper-cased, as Lex
// reads them (outside comments, strings, quoted names and dollar quotes).
// ok is false when one of those does not end.
func topWords(s string) (words []string, ok bool) {
	tokens, err := Lex(s)
	for _, t := range tokens {
		if t.Kind == Word {
			words = append(words, strings.ToUpper(t.Text))
		}
	}
	return words, err == nil
}

var _ dialect.TransactionEnder = (*Dialect)(nil)

// EndsTransaction reports whether statement ends the transaction block it
// runs in: COMMIT, END, ABORT, ROLLBACK (not ROLLBACK TO a savepoint),
// PREPARE TRANSACTION. A statement it cannot read to the end counts when
// it starts so. (CALL and DO cannot commit inside a transaction block:
// PostgreSQL refuses.)
func (*Dialect) EndsTransaction(statement string) bool {
	words, _ := topWords(statement)
	if len(words) == 0 {
		return false
	}
	switch words[0] {
	case "COMMIT", "END", "ABORT":
		return true
	case "ROLLBACK":
		return len(words) < 2 || words[1] != "TO"
	case "PREPARE":
		return len(words) > 1 && words[1] == "TRANSACTION"
	}
	return false
}
