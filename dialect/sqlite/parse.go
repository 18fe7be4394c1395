package sqlite

import (
	"strings"
)

// SQLite keeps the text of each CREATE statement as written (sqlite_schema.sql)
// and the pragmas leave out part of what it says: constraint names,
// CHECK expressions, DEFERRABLE, generated column expressions, COLLATE,
// AUTOINCREMENT, the expressions and WHERE of indexes. This file reads
// those from the text with a small tokenizer that respects quotes,
// comments and parentheses.

type tokenKind int

const (
	tokWord   tokenKind = iota // a bare word: keyword or identifier
	tokQuoted                  // "x", `x` or [x]: an identifier
	tokString                  // 'x', X'ab'
	tokNumber
	tokPunct // ( ) , . ; and operators
)

type token struct {
	kind tokenKind
	text string // as written
	pos  int    // offset of text in the tokenized string
}

// name returns the identifier a word or quoted token stands for.
func (t token) name() string {
	if t.kind != tokQuoted {
		return t.text
	}
	body := t.text[1:]
	if closer := map[byte]byte{'"': '"', '`': '`', '[': ']'}[t.text[0]]; len(body) > 0 && body[len(body)-1] == closer {
		body = body[:len(body)-1] // else unterminated
	}
	switch t.text[0] {
	case '"':
		return strings.ReplaceAll(body, `""`, `"`)
	case '`':
		return strings.ReplaceAll(body, "``", "`")
	}
	return body
}

// is reports whether t is the keyword kw (upper case).
func (t token) is(kw string) bool { return t.kind == tokWord && strings.EqualFold(t.text, kw) }

func (t token) isPunct(p string) bool { return t.kind == tokPunct && t.text == p }

// tokenize splits SQL into tokens, dropping white space and comments. It
// never fails: an unterminated quote runs to the end.
func tokenize(s string) []token {
	var out []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 4
			}
		case c == '\'' || c == '"' || c == '`':
			j := closeQuote(s, i, c)
			kind := tokQuoted
			if c == '\'' {
				kind = tokString
			}
			out = append(out, token{kind, s[i:j], i})
			i = j
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				j = len(s) - i - 1
			}
			out = append(out, token{tokQuoted, s[i : i+j+1], i})
			i += j + 1
		case (c == 'x' || c == 'X') && i+1 < len(s) && s[i+1] == '\'':
			j := closeQuote(s, i+1, '\'')
			out = append(out, token{tokString, s[i:j], i})
			i = j
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == '.' ||
				(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E') && !strings.HasPrefix(strings.ToLower(s[i:j]), "0x")) {
				j++
			}
			out = append(out, token{tokNumber, s[i:j], i})
			i = j
		case isWordByte(c) || c >= 0x80:
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == '$' || s[j] >= 0x80) {
				j++
			}
			out = append(out, token{tokWord, s[i:j], i})
			i = j
		default:
			n := 1
			if i+1 < len(s) {
				switch s[i : i+2] {
				case "||", "<=", ">=", "!=", "<>", "==", "<<", ">>", "->":
					n = 2
					if s[i:i+2] == "->" && i+2 < len(s) && s[i+2] == '>' {
						n = 3
					}
				}
			}
			out = append(out, token{tokPunct, s[i : i+n], i})
			i += n
		}
	}
	return out
}

// closeQuote returns the index just past the quote opened at s[i], where
// a doubled quote character stands for itself.
func closeQuote(s string, i int, q byte) int {
	j := i + 1
	for j < len(s) {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c)
}

// join writes tokens back as canonical SQL: one space between tokens, none
// inside parentheses, before a comma or around a dot, none after a unary
// sign. Two spellings that differ only in white space, comments or the
// spacing of punctuation give the same text.
func join(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && spaceBefore(toks, i) {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

func spaceBefore(toks []token, i int) bool {
	prev, t := toks[i-1], toks[i]
	switch {
	case t.isPunct(")") || t.isPunct(",") || prev.isPunct("("):
		return false
	case t.isPunct(".") && isName(prev), prev.isPunct(".") && isName(t):
		return false // a qualified name
	case t.isPunct("(") && (prev.kind == tokWord || prev.kind == tokQuoted) && !isKeywordBeforeParen(prev):
		return false // a function call
	case (prev.isPunct("-") || prev.isPunct("+")) && (i == 1 || !isOperand(toks[i-2])):
		return false // a unary sign
	}
	return true
}

func isName(t token) bool { return t.kind == tokWord || t.kind == tokQuoted }

// isOperand reports whether t ends an operand, so that a following + or -
// is binary.
func isOperand(t token) bool {
	switch t.kind {
	case tokNumber, tokString, tokQuoted:
		return true
	case tokWord:
		switch strings.ToUpper(t.text) {
		case "AND", "OR", "NOT", "IS", "IN", "LIKE", "GLOB", "BETWEEN", "WHEN", "THEN", "ELSE", "CASE", "SELECT", "WHERE", "ON", "BY", "RETURN", "AS":
			return false
		}
		return true
	}
	return t.isPunct(")")
}

// isKeywordBeforeParen tells keywords after which a parenthesis opens a
// group, not a call's arguments.
func isKeywordBeforeParen(t token) bool {
	if t.kind != tokWord {
		return false
	}
	switch strings.ToUpper(t.text) {
	case "AND", "OR", "NOT", "IN", "IS", "AS", "WHEN", "THEN", "ELSE", "CASE", "SELECT", "WHERE", "FROM", "ON", "EXISTS", "JOIN", "USING", "BETWEEN", "LIKE", "VALUES", "UNION", "ALL", "EXCEPT", "INTERSECT", "BY":
		return true
	}
	return false
}

// normExpr returns the canonical text of an expression: tokens joined as
// join does, and outer parentheses that wrap all of it removed.
func normExpr(s string) string { return join(unwrap(tokenize(s))) }

func unwrap(toks []token) []token {
	for len(toks) >= 2 && toks[0].isPunct("(") && closing(toks, 0) == len(toks)-1 {
		toks = toks[1 : len(toks)-1]
	}
	return toks
}

// closing returns the index of the parenthesis that closes toks[open], or
// len(toks) when there is none.
func closing(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].isPunct("("):
			depth++
		case toks[i].isPunct(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

// split cuts toks at commas outside parentheses.
func split(toks []token) [][]token {
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.isPunct("("):
			depth++
		case t.isPunct(")"):
			depth--
		case t.isPunct(",") && depth == 0:
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// tableDef is what the text of a CREATE TABLE says beyond the pragmas.
type tableDef struct {
	columns      map[string]*colDef // by lower-case name
	checks       []checkDef
	foreignKeys  []fkDef
	withoutRowid bool
	strict       bool
	src          string // the statement parsed
}

type colDef struct {
	// declType is the declared type as written, "" for none.
	declType      string
	notNull       bool // NOT NULL is written
	collation     string
	autoincrement bool
	pkDesc        bool
	generated     string
}

type checkDef struct{ name, expr string }

type fkDef struct {
	name                          string
	columns, refColumns           []string
	refTable                      string
	onDelete, onUpdate            string // upper case, "" for NO ACTION
	deferrable, initiallyDeferred bool
}

// parseCreateTable reads a CREATE TABLE statement as SQLite stores it. It
// is lenient: what it does not understand it skips.
func parseCreateTable(sql string) *tableDef {
	def := &tableDef{columns: map[string]*colDef{}, src: sql}
	toks := tokenize(sql)
	open := -1
	for i, t := range toks {
		if t.isPunct("(") {
			open = i
			break
		}
		if t.is("AS") {
			return def
		}
	}
	if open < 0 {
		return def
	}
	end := closing(toks, open)
	for _, t := range toks[min(end+1, len(toks)):] {
		switch {
		case t.is("ROWID"):
			def.withoutRowid = true
		case t.is("STRICT"):
			def.strict = true
		}
	}
	for _, part := range split(toks[open+1 : min(end, len(toks))]) {
		if len(part) == 0 {
			continue
		}
		switch {
		case part[0].is("CONSTRAINT") || part[0].is("PRIMARY") || part[0].is("UNIQUE") || part[0].is("CHECK") || part[0].is("FOREIGN"):
			def.tableConstraint(part)
		default:
			def.column(part)
		}
	}
	return def
}

func (def *tableDef) tableConstraint(toks []token) {
	name := ""
	i := 0
	if toks[0].is("CONSTRAINT") && len(toks) > 1 {
		name, i = toks[1].name(), 2
	}
	if i >= len(toks) {
		return
	}
	switch {
	case toks[i].is("CHECK"):
		if i+1 < len(toks) && toks[i+1].isPunct("(") {
			e := closing(toks, i+1)
			def.checks = append(def.checks, checkDef{name, join(unwrap(toks[i+1 : min(e+1, len(toks))]))})
		}
	case toks[i].is("FOREIGN"):
		j := i + 1
		for j < len(toks) && !toks[j].isPunct("(") {
			j++
		}
		e := closing(toks, j)
		cols := names(toks[min(j+1, len(toks)):min(e, len(toks))])
		for e < len(toks) && !toks[e].is("REFERENCES") {
			e++
		}
		if e < len(toks) {
			fk := references(toks[e+1:])
			fk.name, fk.columns = name, cols
			def.foreignKeys = append(def.foreignKeys, fk)
		}
	}
}

// names reads a comma-separated list of column names, each possibly
// followed by COLLATE or a sort order.
func names(toks []token) []string {
	var out []string
	for _, part := range split(toks) {
		if len(part) > 0 {
			out = append(out, part[0].name())
		}
	}
	return out
}

// references reads what follows REFERENCES.
func references(toks []token) fkDef {
	var fk fkDef
	if len(toks) == 0 {
		return fk
	}
	fk.refTable = toks[0].name()
	i := 1
	if i < len(toks) && toks[i].isPunct(".") && i+1 < len(toks) {
		fk.refTable, i = toks[i+1].name(), i+2
	}
	if i < len(toks) && toks[i].isPunct("(") {
		e := closing(toks, i)
		fk.refColumns = names(toks[i+1 : min(e, len(toks))])
		i = e + 1
	}
	for ; i < len(toks); i++ {
		switch {
		case toks[i].is("ON") && i+2 < len(toks):
			// ON DELETE|UPDATE SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION
			event, action := toks[i+1], strings.ToUpper(toks[i+2].text)
			i += 2
			if i+1 < len(toks) && (toks[i].is("SET") || toks[i].is("NO")) {
				i++
				action += " " + strings.ToUpper(toks[i].text)
			}
			if action == "NO ACTION" {
				action = ""
			}
			if event.is("DELETE") {
				fk.onDelete = action
			} else {
				fk.onUpdate = action
			}
		case toks[i].is("MATCH"):
			i++
		case toks[i].is("NOT") && i+1 < len(toks) && toks[i+1].is("DEFERRABLE"):
			i++
		case toks[i].is("DEFERRABLE"):
			fk.deferrable = true
			if i+2 < len(toks) && toks[i+1].is("INITIALLY") {
				fk.initiallyDeferred = toks[i+2].is("DEFERRED")
				i += 2
			}
		case isColumnConstraintStart(toks[i]):
			return fk
		}
	}
	return fk
}

// referencesEnd returns the index where the foreign key clause that
// starts at toks[i] (after REFERENCES) ends: at the next column
// constraint, or the end.
func referencesEnd(toks []token, i int) int {
	for ; i < len(toks); i++ {
		switch {
		case toks[i].isPunct("("):
			i = closing(toks, i)
		case toks[i].is("ON"):
			i += 2
			if i < len(toks) && (toks[i].is("SET") || toks[i].is("NO")) {
				i++
			}
		case toks[i].is("MATCH"), toks[i].is("NOT") && i+1 < len(toks) && toks[i+1].is("DEFERRABLE"):
			i++
		case toks[i].is("DEFERRABLE"):
			if i+1 < len(toks) && toks[i+1].is("INITIALLY") {
				i += 2
			}
		case isColumnConstraintStart(toks[i]):
			return i
		}
	}
	return len(toks)
}

func isColumnConstraintStart(t token) bool {
	for _, kw := range [...]string{"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"} {
		if t.is(kw) {
			return true
		}
	}
	return false
}

func (def *tableDef) column(toks []token) {
	col := &colDef{}
	colName := toks[0].name()
	def.columns[strings.ToLower(colName)] = col
	// The type runs from the name to the first constraint, and is kept as
	// written (SQLite reports standard names such as INT in upper case in
	// its pragmas, whatever their spelling).
	typeEnd := 1
	for typeEnd < len(toks) && !isColumnConstraintStart(toks[typeEnd]) {
		if toks[typeEnd].isPunct("(") {
			typeEnd = min(closing(toks, typeEnd), len(toks)-1)
		}
		typeEnd++
	}
	if typeEnd > 1 {
		last := toks[typeEnd-1]
		col.declType = def.src[toks[1].pos : last.pos+len(last.text)]
	}
	name := ""
	for i := typeEnd; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.is("NOT") && i+1 < len(toks) && toks[i+1].is("NULL"):
			col.notNull = true
			i++
		case t.isPunct("("):
			i = closing(toks, i)
		case t.is("CONSTRAINT") && i+1 < len(toks):
			name = toks[i+1].name()
			i++
			continue
		case t.is("PRIMARY"):
			if i+2 < len(toks) && toks[i+2].is("DESC") {
				col.pkDesc = true
			}
		case t.is("AUTOINCREMENT"):
			col.autoincrement = true
		case t.is("COLLATE") && i+1 < len(toks):
			col.collation = toks[i+1].name()
			i++
		case t.is("CHECK") && i+1 < len(toks) && toks[i+1].isPunct("("):
			e := closing(toks, i+1)
			def.checks = append(def.checks, checkDef{name, join(unwrap(toks[i+1 : min(e+1, len(toks))]))})
			i = e
		case t.is("DEFAULT") && i+1 < len(toks):
			// Skip the value, which may be a word such as CURRENT_TIME, a
			// signed number or a parenthesized expression.
			i++
			if toks[i].isPunct("-") || toks[i].isPunct("+") {
				i++
			}
			if i < len(toks) && toks[i].isPunct("(") {
				i = closing(toks, i)
			}
		case t.is("REFERENCES"):
			j := referencesEnd(toks, i+1)
			fk := references(toks[i+1 : j])
			fk.name, fk.columns = name, []string{colName}
			def.foreignKeys = append(def.foreignKeys, fk)
			i = j - 1
		case t.is("AS") && i+1 < len(toks) && toks[i+1].isPunct("("):
			e := closing(toks, i+1)
			col.generated = join(unwrap(toks[i+1 : min(e+1, len(toks))]))
			i = e
		}
		name = ""
	}
}

// indexDef is what the text of a CREATE INDEX says beyond the pragmas.
type indexDef struct {
	parts []string // each key's canonical text, without ASC or DESC
	where string
}

func parseCreateIndex(sql string) indexDef {
	var def indexDef
	toks := tokenize(sql)
	on := -1
	for i, t := range toks {
		if t.is("ON") {
			on = i
			break
		}
	}
	if on < 0 {
		return def
	}
	open := on + 1
	for open < len(toks) && !toks[open].isPunct("(") {
		open++
	}
	e := closing(toks, open)
	for _, part := range split(toks[min(open+1, len(toks)):min(e, len(toks))]) {
		if n := len(part); n > 0 && (part[n-1].is("ASC") || part[n-1].is("DESC")) {
			part = part[:n-1]
		}
		def.parts = append(def.parts, join(unwrap(part)))
	}
	if e+1 < len(toks) && toks[e+1].is("WHERE") {
		def.where = join(unwrap(toks[e+2:]))
	}
	return def
}

// viewDef returns the SELECT of a CREATE VIEW, in canonical spacing.
func viewDef(sql string) string {
	toks := tokenize(sql)
	for i, t := range toks {
		if t.is("AS") {
			rest := toks[i+1:]
			if n := len(rest); n > 0 && rest[n-1].isPunct(";") {
				rest = rest[:n-1]
			}
			return join(rest)
		}
	}
	return ""
}

// mentions reports whether the SQL text uses name as an identifier.
func mentions(sql, name string) bool {
	for _, t := range tokenize(sql) {
		if (t.kind == tokWord || t.kind == tokQuoted) && strings.EqualFold(t.name(), name) {
			return true
		}
	}
	return false
}
