package mysql

import (
	"strings"
)

// StatementKind is what a statement does, as Classify reads it.
type StatementKind int

// The kinds of statement Classify tells apart.
const (
	// Unknown is a statement Classify cannot read: its first word is
	// none of the ones below, or it does not lex.
	Unknown StatementKind = iota
	CreateTable
	DropTable
	RenameTable
	AlterTable
	TruncateTable
	// OtherDDL is any other CREATE, DROP or ALTER (indexes, views,
	// triggers, routines), which moves no table and no rows.
	OtherDDL
	Insert
	Update
	Delete
	// OtherDML is SELECT and the like: it changes no table's shape.
	OtherDML
	// Session is a statement about the session or transaction (SET, USE,
	// START TRANSACTION, COMMIT, LOCK TABLES…).
	Session
	// DropDatabase is DROP DATABASE or DROP SCHEMA; Tables holds the
	// database as Schema.
	DropDatabase
	// CreateIndex is CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX … ON t and
	// DropIndex DROP INDEX … ON t; Tables holds t. Neither moves a table
	// or rows.
	CreateIndex
	DropIndex
	// LoadData is LOAD DATA or LOAD XML … INTO TABLE t (Tables holds t
	// where the statement names it): DML, as INSERT is.
	LoadData
)

var kindNames = [...]string{"unknown", "create table", "drop table", "rename table", "alter table", "truncate", "other ddl", "insert", "update", "delete", "other dml", "session", "drop database", "create index", "drop index", "load data"}

func (k StatementKind) String() string { return kindNames[k] }

// DDL reports whether statements of kind k commit at once on MySQL and
// MariaDB (an implicit commit before and after). Unknown counts as DDL:
// a caller that must know cannot assume otherwise.
func (k StatementKind) DDL() bool {
	switch k {
	case Insert, Update, Delete, LoadData, OtherDML, Session:
		return false
	}
	return true
}

// Transactional reports whether statements of kind k change rows inside
// a transaction (InnoDB): INSERT, REPLACE, UPDATE, DELETE, LOAD DATA,
// and those behind a WITH clause.
func (k StatementKind) Transactional() bool {
	switch k {
	case Insert, Update, Delete, LoadData:
		return true
	}
	return false
}

// TableName is a table as a statement names it: Schema is empty unless
// the statement qualifies the name.
type TableName struct{ Schema, Name string }

func (n TableName) String() string {
	if n.Name == "" {
		return n.Schema
	}
	if n.Schema != "" {
		return n.Schema + "." + n.Name
	}
	return n.Name
}

// Statement is what Classify reads from one statement.
type Statement struct {
	Kind StatementKind
	// Tables are the tables the statement acts on, in the order written:
	// the dropped ones of a DROP TABLE list, the target of CREATE, ALTER,
	// TRUNCATE, INSERT, UPDATE and DELETE (UPDATE and DELETE: every table
	// named before SET or WHERE), the from/to pairs of RENAME TABLE, the
	// table of CREATE or DROP INDEX … ON and of LOAD DATA … INTO TABLE.
	Tables []TableName
	// Temporary: CREATE or DROP TEMPORARY TABLE.
	Temporary bool
	// IfExists: DROP TABLE IF EXISTS, ALTER TABLE IF EXISTS;
	// IfNotExists: CREATE TABLE IF NOT EXISTS.
	IfExists, IfNotExists bool
	// OrReplace: MariaDB's CREATE OR REPLACE TABLE, which drops a table
	// of that name first.
	OrReplace bool
	// Err is why the statement could not be read in full (it does not
	// lex); Kind is Unknown then.
	Err error

	tokens []Token
	// body is where the part after the table name starts in tokens
	// (CREATE, ALTER, INSERT, UPDATE, DELETE).
	body int
}

// Classify reads one statement of MySQL or MariaDB SQL, comments and
// executable comments (/*! … */) read as the server reads them. It is the
// one reading of statements' meaning in this package: the data-loss guard
// (PredictLosses), exactly-once DML (Transactional) and the scope of a
// schema fingerprint (Fingerprint) all start from it.
func Classify(sql string) Statement { return Mode{}.Classify(sql) }

// Classify is the package's Classify in mode m.
func (m Mode) Classify(sql string) Statement {
	tokens, err := m.LexExecutable(sql)
	for len(tokens) > 0 && tokens[len(tokens)-1].IsPunct(";") {
		tokens = tokens[:len(tokens)-1]
	}
	if err != nil {
		return Statement{tokens: tokens, Err: err}
	}
	return classify(tokens, 0)
}

// classify reads the statement tokens[start:] begin; tokens is the whole
// statement (Statement.body indexes it).
func classify(tokens []Token, start int) Statement {
	st := Statement{tokens: tokens}
	c := &cursor{toks: tokens, i: start}
	switch {
	case c.word("CREATE"):
		st.OrReplace = c.word("OR", "REPLACE")
		c.word("DEFINER") // CREATE DEFINER=… VIEW/TRIGGER: not a table
		st.Temporary = c.word("TEMPORARY")
		if c.word("INDEX") || c.word("UNIQUE", "INDEX") || c.word("FULLTEXT", "INDEX") || c.word("SPATIAL", "INDEX") {
			st.Kind = OtherDDL
			if n, ok := c.on(); ok {
				st.Kind, st.Tables = CreateIndex, []TableName{n}
			}
			return st
		}
		if !c.word("TABLE") {
			st.Kind = OtherDDL
			return st
		}
		st.IfNotExists = c.word("IF", "NOT", "EXISTS")
		n, ok := c.table()
		if !ok {
			return st
		}
		st.Kind, st.Tables, st.body = CreateTable, []TableName{n}, c.i
	case c.word("DROP"):
		if c.word("DATABASE") || c.word("SCHEMA") {
			st.IfExists = c.word("IF", "EXISTS")
			if n, ok := c.name(); ok {
				st.Kind, st.Tables = DropDatabase, []TableName{{Schema: n}}
			}
			return st
		}
		if c.word("INDEX") {
			st.Kind = OtherDDL
			if n, ok := c.on(); ok {
				st.Kind, st.Tables = DropIndex, []TableName{n}
			}
			return st
		}
		st.Temporary = c.word("TEMPORARY")
		if !c.word("TABLE") && !c.word("TABLES") {
			st.Kind = OtherDDL
			return st
		}
		st.IfExists = c.word("IF", "EXISTS")
		for {
			n, ok := c.table()
			if !ok {
				return Statement{tokens: tokens}
			}
			st.Tables = append(st.Tables, n)
			if !c.punct(",") {
				break
			}
		}
		st.Kind = DropTable
	case c.word("RENAME"):
		if !c.word("TABLE") && !c.word("TABLES") {
			st.Kind = OtherDDL // RENAME USER
			return st
		}
		for {
			from, ok1 := c.table()
			c.word("WAIT") // MariaDB: RENAME TABLE t WAIT n TO u
			if c.peek().Kind == Number {
				c.i++
			}
			c.word("NOWAIT")
			to := TableName{}
			ok2 := c.word("TO")
			if ok2 {
				to, ok2 = c.table()
			}
			if !ok1 || !ok2 {
				return Statement{tokens: tokens}
			}
			st.Tables = append(st.Tables, from, to)
			if !c.punct(",") {
				break
			}
		}
		st.Kind = RenameTable
	case c.word("ALTER"):
		c.word("ONLINE")
		c.word("IGNORE")
		if !c.word("TABLE") {
			st.Kind = OtherDDL
			return st
		}
		st.IfExists = c.word("IF", "EXISTS")
		n, ok := c.table()
		if !ok {
			return st
		}
		st.Kind, st.Tables, st.body = AlterTable, []TableName{n}, c.i
	case c.word("TRUNCATE"):
		c.word("TABLE")
		n, ok := c.table()
		if !ok {
			return st
		}
		st.Kind, st.Tables = TruncateTable, []TableName{n}
	case c.word("INSERT"), c.word("REPLACE"):
		for c.word("LOW_PRIORITY") || c.word("DELAYED") || c.word("HIGH_PRIORITY") || c.word("IGNORE") {
		}
		c.word("INTO")
		n, ok := c.table()
		if !ok {
			return st
		}
		st.Kind, st.Tables, st.body = Insert, []TableName{n}, c.i
	case c.word("UPDATE"):
		for c.word("LOW_PRIORITY") || c.word("IGNORE") {
		}
		st.Kind, st.body = Update, c.i
		st.Tables = c.tablesUntil("SET")
	case c.word("DELETE"):
		for c.word("LOW_PRIORITY") || c.word("QUICK") || c.word("IGNORE") {
		}
		st.Kind, st.body = Delete, c.i
		c.word("FROM")
		st.Tables = c.tablesUntil("WHERE", "ORDER", "LIMIT", "USING", "RETURNING")
	case c.word("ANALYZE"), c.word("OPTIMIZE"), c.word("REPAIR"), c.word("CHECK"), c.word("GRANT"), c.word("REVOKE"), c.word("FLUSH"), c.word("INSTALL"), c.word("UNINSTALL"):
		st.Kind = OtherDDL
	case c.word("WITH"):
		// WITH [RECURSIVE] name [(columns)] AS (query), …, then the
		// statement the clause belongs to.
		c.word("RECURSIVE")
		for {
			if _, ok := c.name(); !ok {
				return st
			}
			c.skipGroup()
			if !c.word("AS") || !c.peek().IsPunct("(") {
				return st
			}
			c.skipGroup()
			if !c.punct(",") {
				break
			}
		}
		if inner := classify(tokens, c.i); inner.Kind.Transactional() {
			return inner
		}
		st.Kind = OtherDML
	case c.word("LOAD", "DATA"), c.word("LOAD", "XML"):
		st.Kind = LoadData
		for !c.done() && !c.word("INTO", "TABLE") {
			c.i++
		}
		if n, ok := c.table(); ok {
			st.Tables = []TableName{n}
		}
	case c.word("SELECT"), c.word("CALL"), c.word("DO"), c.word("LOAD"), c.word("VALUES"), c.word("TABLE"), c.word("SHOW"), c.word("EXPLAIN"), c.word("DESCRIBE"), c.word("DESC"), c.word("HANDLER"), c.peek().IsPunct("("):
		st.Kind = OtherDML
	case c.word("SET"), c.word("USE"), c.word("START"), c.word("BEGIN"), c.word("COMMIT"), c.word("ROLLBACK"), c.word("SAVEPOINT"), c.word("RELEASE"), c.word("LOCK"), c.word("UNLOCK"), c.word("XA"), c.word("PREPARE"), c.word("EXECUTE"), c.word("DEALLOCATE"):
		st.Kind = Session
	}
	return st
}

// cursor walks a statement's tokens.
type cursor struct {
	toks []Token
	i    int
}

func (c *cursor) done() bool { return c.i >= len(c.toks) }

func (c *cursor) peek() Token {
	if c.done() {
		return Token{Kind: Punct}
	}
	return c.toks[c.i]
}

// word consumes the words ws when the next tokens are those words.
func (c *cursor) word(ws ...string) bool {
	if c.i+len(ws) > len(c.toks) {
		return false
	}
	for k, w := range ws {
		if !c.toks[c.i+k].Is(w) {
			return false
		}
	}
	c.i += len(ws)
	return true
}

func (c *cursor) punct(p string) bool {
	if c.peek().IsPunct(p) {
		c.i++
		return true
	}
	return false
}

// name reads an identifier, bare or quoted.
func (c *cursor) name() (string, bool) {
	n, ok := c.peek().Name()
	if ok {
		c.i++
	}
	return n, ok
}

// table reads [schema.]name.
func (c *cursor) table() (TableName, bool) {
	first, ok := c.name()
	if !ok {
		return TableName{}, false
	}
	if c.peek().IsPunct(".") {
		c.i++
		second, ok := c.name()
		if !ok {
			return TableName{}, false
		}
		return TableName{Schema: first, Name: second}, true
	}
	return TableName{Name: first}, true
}

// on reads the table after the first ON outside parentheses, as CREATE
// and DROP INDEX name it.
func (c *cursor) on() (TableName, bool) {
	for !c.done() {
		switch {
		case c.peek().IsPunct("("):
			c.skipGroup()
		case c.word("ON"):
			return c.table()
		default:
			c.i++
		}
	}
	return TableName{}, false
}

// skipGroup skips a parenthesized group starting at the cursor.
func (c *cursor) skipGroup() {
	if !c.peek().IsPunct("(") {
		return
	}
	depth := 0
	for ; !c.done(); c.i++ {
		switch {
		case c.peek().IsPunct("("):
			depth++
		case c.peek().IsPunct(")"):
			depth--
			if depth == 0 {
				c.i++
				return
			}
		}
	}
}

// group skips a parenthesized group starting at the cursor and returns
// the tokens inside it (up to the end, when it is not closed).
func (c *cursor) group() []Token {
	start := c.i + 1
	c.skipGroup()
	end := c.i - 1
	if c.i > 0 && !c.toks[c.i-1].IsPunct(")") || end < start {
		end = c.i
	}
	if start > end {
		return nil
	}
	return c.toks[start:end]
}

// tablesUntil reads the table references of UPDATE or DELETE up to one
// of the words stop at depth zero: each table named first in a comma
// item or after JOIN.
func (c *cursor) tablesUntil(stop ...string) []TableName {
	var out []TableName
	expect := true
	for !c.done() {
		t := c.peek()
		for _, s := range stop {
			if t.Is(s) {
				return out
			}
		}
		switch {
		case t.IsPunct("("):
			c.skipGroup()
			expect = false
			continue
		case t.IsPunct(","), t.Is("JOIN"):
			expect = true
			c.i++
			continue
		}
		if expect {
			if n, ok := c.table(); ok {
				out = append(out, n)
				expect = false
				continue
			}
		}
		c.i++
	}
	return out
}

// split cuts tokens at the commas at depth zero.
func split(tokens []Token) [][]Token {
	var out [][]Token
	depth, start := 0, 0
	for i, t := range tokens {
		switch {
		case t.IsPunct("("):
			depth++
		case t.IsPunct(")"):
			depth--
		case t.IsPunct(",") && depth == 0:
			out = append(out, tokens[start:i])
			start = i + 1
		}
	}
	if start < len(tokens) {
		out = append(out, tokens[start:])
	}
	return out
}

// upper is a word token's text in upper case, or "".
func upper(t Token) string {
	if t.Kind != Word {
		return ""
	}
	return strings.ToUpper(t.Text)
}
