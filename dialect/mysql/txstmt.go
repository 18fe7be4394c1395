package mysql

// Transactional reports whether statement is data manipulation (INSERT,
// UPDATE, DELETE, REPLACE, LOAD DATA, or a WITH … ending in one of them),
// which InnoDB runs inside a transaction: the runner commits such a
// statement together with its progress row, so that it applies exactly
// once. DDL and anything else (SET, CALL, …) commits on its own.
//
// It reads the statement as Classify does (comments and strings never
// decide, executable comments do). A statement that does not lex cleanly
// is not classified as DML: it then takes the path of DDL, whose
// completion is established from the catalog.
func (d *Dialect) Transactional(statement string) bool {
	return Classify(statement).Kind.Transactional()
}
