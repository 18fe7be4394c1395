package mysql

import "strings"

// Transactional reports whether statement is data manipulation (INSERT,
// UPDATE, DELETE, REPLACE, LOAD DATA, or a WITH … ending in one of them),
// which InnoDB runs inside a transaction: the runner commits such a
// statement together with its progress row, so that it applies exactly
// once. DDL and anything else (SET, CALL, …) commits on its own.
//
// It reads the statement's tokens (LexExecutable: comments and strings
// never decide, executable comments do), looking at the words outside
// parentheses. A statement that does not lex cleanly is not classified as
// DML: it then takes the path of DDL, whose completion is established from
// the catalog.
func (d *Dialect) Transactional(statement string) bool {
	tokens, err := LexExecutable(statement)
	if err != nil {
		return false
	}
	var words []string
	depth := 0
	for _, t := range tokens {
		switch {
		case t.IsPunct("("):
			depth++
		case t.IsPunct(")"):
			depth--
		case t.Kind == Word && depth == 0:
			words = append(words, strings.ToUpper(t.Text))
		}
		if len(words) >= 64 {
			break
		}
	}
	if len(words) == 0 {
		return false
	}
	switch words[0] {
	case "INSERT", "UPDATE", "DELETE", "REPLACE":
		return true
	case "LOAD":
		return len(words) > 1 && (words[1] == "DATA" || words[1] == "XML")
	case "WITH":
		for _, w := range words[1:] {
			switch w {
			case "INSERT", "UPDATE", "DELETE", "REPLACE":
				return true
			case "SELECT", "TABLE", "VALUES":
				return false
			}
		}
	}
	return false
}
