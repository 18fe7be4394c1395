package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
)

// MySQL and MariaDB commit every DDL statement at once, so the data-loss
// guard cannot run a revision and look at what it did: PredictLosses
// reads the catalog (information_schema) once, then follows each planned
// statement's effect on a model of it, classified from its tokens
// (Classify), never from its spelling:
//
//   - a table keeps the rows it held under every name it is renamed to
//     (RENAME TABLE, ALTER TABLE … RENAME), so dropping it by its new name
//     is a loss; CREATE TABLE IF NOT EXISTS over an existing table changes
//     nothing, so dropping it afterwards is a loss;
//   - INSERT … SELECT … FROM t (without WHERE, JOIN, LIMIT…) copies t's
//     rows, column by column by name or position, so that a hand-written
//     rebuild (create, copy, drop, rename) loses nothing; a column the
//     copy leaves out is a loss of that column when t goes;
//   - a table created in the run holds no rows of the database's, so
//     dropping it loses nothing of theirs;
//   - DELETE without WHERE and UPDATE of a column are the run's own
//     decisions about the data: after them, dropping the emptied table is
//     not a loss, nor are the updated column's values checked against a
//     narrower type;
//   - DROP TABLE (each of a list), TRUNCATE, ALTER TABLE … DROP COLUMN,
//     DROP or TRUNCATE PARTITION and MariaDB's CREATE OR REPLACE TABLE
//     over a table that holds rows are losses, counted;
//   - CHANGE or MODIFY COLUMN to a type that does not hold every value
//     (narrower strings, smaller integers, decimal precision or scale,
//     datetime to date, fewer fractional seconds, enum values removed,
//     text to a number) counts the rows whose value would not fit or not
//     convert (lossCondition) and shows one; to NOT NULL counts the NULLs.
//
// A statement Classify cannot read (Unknown) is assumed to change no
// table: the tables it might have moved are still counted where they
// stand, so the guard errs towards speaking. It does not see: tables of
// other databases (DROP DATABASE of the run's own is seen: every table
// goes), SET columns, character set conversions, ALTER IGNORE dropping
// duplicate rows, statements run by routines or triggers.

// PredictLosses implements dialect.LossPredictor. A run none of whose
// statements could destroy anything (drops, truncations, ALTER TABLE,
// CREATE OR REPLACE) reads no catalog.
func (d *Dialect) PredictLosses(ctx context.Context, q dialect.Querier, stmts []string) ([]dialect.PredictedLoss, error) {
	m := &model{tables: map[string]*simTable{}, tableRefs: map[origin]int{}, colRefs: map[colRef]int{}, reported: map[string]bool{}}
	var lctn int
	var db sql.NullString
	var mode string
	if err := queryRow(ctx, q, "SELECT DATABASE(), @@lower_case_table_names, @@SESSION.sql_mode", &db, &lctn, &mode); err != nil {
		return nil, fmt.Errorf("mysql: data-loss guard: %w", err)
	}
	m.db, m.foldNames, m.mode = db.String, lctn != 0, ParseMode(mode)
	classified := make([]Statement, len(stmts))
	destructive := false
	for i, s := range stmts {
		st := m.mode.Classify(s)
		classified[i] = st
		switch st.Kind {
		case DropTable, TruncateTable, AlterTable, DropDatabase:
			destructive = destructive || !st.Temporary
		case CreateTable:
			destructive = destructive || st.OrReplace
		}
	}
	if !destructive {
		return nil, nil
	}
	if err := m.load(ctx, q); err != nil {
		return nil, fmt.Errorf("mysql: data-loss guard: %w", err)
	}
	for i, st := range classified {
		m.follow(i, st)
	}
	return m.count(ctx, q)
}

// origin is a table of the database as it stands before the run.
type origin string

// colRef is a column of a table of the database before the run.
type colRef struct {
	table origin
	col   string // lower case
}

type simCol struct {
	name      string
	typ       sqlType
	nullable  bool
	generated bool
	// holds is the original column whose values this one holds, if any.
	holds *colRef
	// rewritten: the run updated the column, so its values are its own.
	rewritten bool
}

type simTable struct {
	name string
	cols []*simCol
	// holds are the original tables whose rows this table holds.
	holds map[origin]bool
}

func (t *simTable) col(name string) *simCol {
	for _, c := range t.cols {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

// model is the catalog as the run's statements leave it.
type model struct {
	db        string
	foldNames bool // lower_case_table_names != 0
	// mode is how the session reads SQL (ANSI_QUOTES…).
	mode   Mode
	tables map[string]*simTable
	// tableRefs counts the live tables holding each original table's
	// rows; colRefs the live columns holding each original column.
	tableRefs map[origin]int
	colRefs   map[colRef]int
	// reported keeps a loss from being counted twice.
	reported map[string]bool
	losses   []candidate
}

// candidate is a loss to count.
type candidate struct {
	loss dialect.PredictedLoss
	from origin
	// where selects the lost rows of from; empty: every row.
	where string
	// partitions, when set, limits the count to them.
	partitions []string
	// example is the column to show one lost value of.
	example string
}

// load reads the catalog into the model: two queries, as MariaDB
// answers a plain scan of COLUMNS in a schema forty times faster than one
// joined with TABLES or filtered by name (BenchmarkPredictLosses500).
func (m *model) load(ctx context.Context, q dialect.Querier) error {
	views := map[string]bool{}
	vrows, err := q.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE <> 'BASE TABLE'")
	if err != nil {
		return fmt.Errorf("read the catalog: %w", err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var v string
		if err := vrows.Scan(&v); err != nil {
			return fmt.Errorf("read the catalog: %w", err)
		}
		views[v] = true
	}
	if err := vrows.Err(); err != nil {
		return fmt.Errorf("read the catalog: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, EXTRA
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`)
	if err != nil {
		return fmt.Errorf("read the catalog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col, typ, nullable, extra string
		if err := rows.Scan(&table, &col, &typ, &nullable, &extra); err != nil {
			return fmt.Errorf("read the catalog: %w", err)
		}
		if views[table] {
			continue
		}
		t := m.tables[m.key(table)]
		if t == nil {
			o := origin(m.key(table))
			t = &simTable{name: table, holds: map[origin]bool{o: true}}
			m.tables[m.key(table)] = t
			m.tableRefs[o]++
		}
		toks, _ := Lex(typ)
		ct, _, _ := readType(toks)
		c := &simCol{name: col, typ: ct, nullable: nullable == "YES", generated: strings.Contains(strings.ToUpper(extra), "GENERATED")}
		if !c.generated {
			ref := colRef{origin(m.key(table)), strings.ToLower(col)}
			c.holds = &ref
			m.colRefs[ref]++
		}
		t.cols = append(t.cols, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the catalog: %w", err)
	}
	return nil
}

func queryRow(ctx context.Context, q dialect.Querier, query string, dest ...any) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", query, err)
		}
		return fmt.Errorf("%s: %w", query, sql.ErrNoRows)
	}
	if err := rows.Scan(dest...); err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	return rows.Err()
}

// key is how the server compares table names.
func (m *model) key(name string) string {
	if m.foldNames {
		return strings.ToLower(name)
	}
	return name
}

// table finds a table of the run's database by the name a statement
// gives it, with its key; ok is false for a table of another database,
// which the model does not follow.
func (m *model) table(n TableName) (*simTable, string, bool) {
	if n.Schema != "" && m.key(n.Schema) != m.key(m.db) {
		return nil, "", false
	}
	k := m.key(n.Name)
	return m.tables[k], k, true
}

// release forgets that t holds rows, reporting those no other table holds
// any more as lost by stmt, with change, unless intended.
func (m *model) release(stmt int, t *simTable, named, change string, intended bool) {
	for _, o := range slices.Sorted(maps.Keys(t.holds)) {
		m.tableRefs[o]--
		if m.tableRefs[o] == 0 && !intended {
			what := change
			if string(o) != m.key(named) {
				what = fmt.Sprintf("%s (the rows of table %s before this run)", change, o)
			}
			m.report(candidate{loss: dialect.PredictedLoss{Statement: stmt, Table: named, Change: what}, from: o})
		}
	}
	for _, c := range t.cols {
		m.releaseCol(stmt, t, c, named, change, intended)
	}
	t.holds = map[origin]bool{}
}

// releaseCol forgets that c holds values; a column no other column holds
// any more is lost, unless intended or its whole table is gone (and so
// reported, or intended, as a whole).
func (m *model) releaseCol(stmt int, t *simTable, c *simCol, named, change string, intended bool) {
	if c.holds == nil {
		return
	}
	ref := *c.holds
	c.holds = nil
	m.colRefs[ref]--
	if m.colRefs[ref] > 0 || intended || m.tableRefs[ref.table] == 0 {
		return
	}
	m.report(candidate{loss: dialect.PredictedLoss{Statement: stmt, Table: named, Column: c.name, Change: change},
		from: ref.table, where: quote(ref.col) + " IS NOT NULL", example: ref.col})
}

// report adds a loss to count, once; strata's own scratch tables
// (_strata_…) hold nothing of the application's.
func (m *model) report(c candidate) {
	k := fmt.Sprintf("%s\x00%s\x00%s\x00%s", c.from, c.where, c.loss.Change, strings.Join(c.partitions, ","))
	if strings.HasPrefix(string(c.from), "_strata_") || m.reported[k] {
		return
	}
	m.reported[k] = true
	m.losses = append(m.losses, c)
}

// create adds an empty table to the model.
func (m *model) create(k, name string, cols []*simCol) *simTable {
	t := &simTable{name: name, cols: cols, holds: map[origin]bool{}}
	m.tables[k] = t
	return t
}

// drop removes the table a statement names, reporting its rows as lost.
func (m *model) drop(stmt int, n TableName, change string) {
	t, k, ok := m.table(n)
	if !ok || t == nil {
		return
	}
	m.release(stmt, t, n.Name, change, false)
	delete(m.tables, k)
}

func (m *model) follow(i int, st Statement) {
	switch st.Kind {
	case CreateTable:
		if st.Temporary {
			return
		}
		n := st.Tables[0]
		t, k, ok := m.table(n)
		if !ok {
			return
		}
		if t != nil {
			if st.IfNotExists {
				return
			}
			if !st.OrReplace {
				return // fails: the table exists
			}
			m.drop(i, n, "replaces (CREATE OR REPLACE)")
		}
		m.createFrom(i, k, n.Name, st.tokens[st.body:])
	case DropTable:
		if st.Temporary {
			return
		}
		for _, n := range st.Tables {
			m.drop(i, n, "drops")
		}
	case DropDatabase:
		if m.key(st.Tables[0].Schema) == m.key(m.db) {
			for _, k := range slices.Sorted(maps.Keys(m.tables)) {
				m.drop(i, TableName{Name: m.tables[k].name}, "drops (with the database)")
			}
		}
	case RenameTable:
		for j := 0; j+1 < len(st.Tables); j += 2 {
			m.rename(st.Tables[j], st.Tables[j+1])
		}
	case TruncateTable:
		if t, _, ok := m.table(st.Tables[0]); ok && t != nil {
			m.release(i, t, st.Tables[0].Name, "truncates", false)
		}
	case AlterTable:
		m.alter(i, st)
	case Insert:
		m.insert(st)
	case Update:
		m.update(st)
	case Delete:
		if len(st.Tables) == 1 && !hasWord(st.tokens[st.body:], "WHERE", "LIMIT") {
			if t, _, ok := m.table(st.Tables[0]); ok && t != nil {
				m.release(i, t, st.Tables[0].Name, "", true)
			}
		}
	}
}

func hasWord(tokens []Token, words ...string) bool {
	for _, t := range tokens {
		for _, w := range words {
			if t.Is(w) {
				return true
			}
		}
	}
	return false
}

func (m *model) rename(from, to TableName) {
	t, k, ok := m.table(from)
	_, k2, ok2 := m.table(to)
	if !ok || t == nil {
		return
	}
	delete(m.tables, k)
	if !ok2 {
		// Moved to another database: out of sight, and so out of the
		// count. Its rows are not lost.
		return
	}
	t.name = to.Name
	m.tables[k2] = t
}

// createFrom follows CREATE TABLE's body: column definitions, LIKE, or
// AS SELECT (which copies rows).
func (m *model) createFrom(i int, k, name string, body []Token) {
	c := &cursor{toks: body}
	if c.word("LIKE") || (c.punct("(") && c.word("LIKE")) {
		if src, _, ok := m.table(mustTable(c)); ok && src != nil {
			cols := make([]*simCol, len(src.cols))
			for j, sc := range src.cols {
				cols[j] = &simCol{name: sc.name, typ: sc.typ, nullable: sc.nullable, generated: sc.generated}
			}
			m.create(k, name, cols)
		} else {
			m.create(k, name, nil)
		}
		return
	}
	var cols []*simCol
	c = &cursor{toks: body}
	if c.peek().IsPunct("(") {
		inner := c.group()
		for _, def := range split(inner) {
			if col, ok := columnDef(def); ok {
				cols = append(cols, col)
			}
		}
	}
	t := m.create(k, name, cols)
	// CREATE TABLE … [AS] SELECT copies rows.
	for ; !c.done(); c.i++ {
		if c.peek().Is("SELECT") {
			m.copyRows(t, nil, body[c.i:])
			return
		}
	}
}

func mustTable(c *cursor) TableName {
	n, _ := c.table()
	return n
}

// notColumn are the words that start a table element other than a
// column in CREATE TABLE, or an ALTER TABLE clause's object other than a
// column.
var notColumn = map[string]bool{"CONSTRAINT": true, "INDEX": true, "KEY": true, "PRIMARY": true, "FOREIGN": true,
	"CHECK": true, "UNIQUE": true, "FULLTEXT": true, "SPATIAL": true, "PERIOD": true, "SYSTEM": true, "PARTITION": true}

// columnDef reads a column definition: name, type, attributes.
func columnDef(def []Token) (*simCol, bool) {
	if len(def) < 2 || notColumn[upper(def[0])] {
		return nil, false
	}
	name, ok := def[0].Name()
	if !ok {
		return nil, false
	}
	t, n, ok := readType(def[1:])
	if !ok {
		return nil, false
	}
	col := &simCol{name: name, typ: t, nullable: true}
	rest := def[1+n:]
	for j := 0; j < len(rest); j++ {
		switch {
		case rest[j].IsPunct("("):
			// an expression (DEFAULT (…), CHECK (…), AS (…)): its words
			// are not the column's attributes.
			c := &cursor{toks: rest, i: j}
			c.skipGroup()
			j = c.i - 1
		case rest[j].Is("DEFAULT") && j+1 < len(rest) && rest[j+1].IsPunct("("):
		case rest[j].Is("DEFAULT"), rest[j].Is("COMMENT"), rest[j].Is("COLLATE"):
			j++ // its value: NULL after DEFAULT is not nullability
		case rest[j].Is("NOT") && j+1 < len(rest) && rest[j+1].Is("NULL"):
			col.nullable = false
			j++
		case rest[j].Is("NULL"):
			col.nullable = true
		case rest[j].Is("PRIMARY"):
			col.nullable = false
		case rest[j].Is("GENERATED"), rest[j].Is("AS") && j+1 < len(rest) && rest[j+1].IsPunct("("):
			col.generated = true
		}
	}
	return col, true
}

// copyRows follows INSERT INTO t [(cols)] SELECT … : t receives the rows
// of the one table the SELECT reads when it reads all of them, each
// target column the values of the source column it names (or stands at
// the same position for *).
func (m *model) copyRows(t *simTable, targets []string, sel []Token) {
	c := &cursor{toks: sel}
	if !c.word("SELECT") {
		return
	}
	for c.word("DISTINCT") || c.word("ALL") || c.word("STRAIGHT_JOIN") || c.word("SQL_NO_CACHE") {
	}
	var list [][]Token
	start := c.i
	depth := 0
	for ; !c.done(); c.i++ {
		tok := c.peek()
		if tok.IsPunct("(") {
			depth++
		} else if tok.IsPunct(")") {
			depth--
		} else if depth == 0 && tok.Is("FROM") {
			break
		}
	}
	if c.done() {
		return
	}
	list = split(sel[start:c.i])
	c.i++
	srcName, ok := c.table()
	if !ok {
		return
	}
	c.word("AS")
	if n := upper(c.peek()); c.peek().Kind == Quoted || (n != "" && !selectTail[n]) {
		c.i++ // alias
	}
	if !c.done() {
		return // WHERE, JOIN, LIMIT, GROUP BY, UNION…: not a whole copy
	}
	src, _, ok := m.table(srcName)
	if !ok || src == nil {
		return
	}
	// The source columns each select item names, in order.
	var from []*simCol
	if len(list) == 1 && len(list[0]) == 1 && list[0][0].IsPunct("*") {
		from = src.cols
	} else {
		for _, item := range list {
			var sc *simCol
			// a bare column, or qualified (x.c), optionally aliased.
			k := 0
			if len(item) >= 3 && item[1].IsPunct(".") {
				k = 2
			}
			if name, ok := item[k].Name(); ok && (len(item) == k+1 || len(item) == k+2 || len(item) == k+3 && item[k+1].Is("AS")) {
				sc = src.col(name)
			}
			from = append(from, sc)
		}
	}
	if targets == nil && len(t.cols) == 0 {
		// CREATE TABLE … SELECT: the columns are the selected ones.
		for _, sc := range from {
			if sc != nil {
				t.cols = append(t.cols, &simCol{name: sc.name, typ: sc.typ, nullable: sc.nullable})
			}
		}
		from = slices.DeleteFunc(slices.Clone(from), func(sc *simCol) bool { return sc == nil })
	}
	if targets == nil {
		for _, tc := range t.cols {
			if !tc.generated {
				targets = append(targets, tc.name)
			}
		}
	}
	for j, sc := range from {
		if j >= len(targets) || sc == nil || sc.holds == nil {
			continue
		}
		tc := t.col(targets[j])
		if tc == nil || tc.holds != nil {
			continue
		}
		ref := *sc.holds
		tc.holds = &ref
		m.colRefs[ref]++
	}
	for _, o := range slices.Sorted(maps.Keys(src.holds)) {
		if !t.holds[o] {
			t.holds[o] = true
			m.tableRefs[o]++
		}
	}
}

// selectTail are words that may follow FROM t in a SELECT and are not an
// alias.
var selectTail = map[string]bool{"WHERE": true, "JOIN": true, "LEFT": true, "RIGHT": true, "INNER": true, "CROSS": true,
	"NATURAL": true, "STRAIGHT_JOIN": true, "LIMIT": true, "GROUP": true, "HAVING": true, "ORDER": true, "UNION": true,
	"EXCEPT": true, "INTERSECT": true, "FOR": true, "LOCK": true, "WINDOW": true, "ON": true, "USE": true, "FORCE": true, "IGNORE": true, "PARTITION": true}

func (m *model) insert(st Statement) {
	t, _, ok := m.table(st.Tables[0])
	if !ok || t == nil {
		return
	}
	c := &cursor{toks: st.tokens[st.body:]}
	c.word("PARTITION")
	var targets []string
	if c.peek().IsPunct("(") && !(c.i+1 < len(c.toks) && c.toks[c.i+1].Is("SELECT")) {
		inner := c.group()
		for _, part := range split(inner) {
			if len(part) == 1 {
				if n, ok := part[0].Name(); ok {
					targets = append(targets, n)
					continue
				}
			}
			targets = append(targets, "")
		}
	}
	if c.peek().IsPunct("(") {
		c.i++
		end := len(c.toks)
		if c.toks[end-1].IsPunct(")") {
			end--
		}
		c.toks = c.toks[:end]
	}
	if c.peek().Is("SELECT") {
		m.copyRows(t, targets, c.toks[c.i:])
	}
}

func (m *model) update(st Statement) {
	c := &cursor{toks: st.tokens[st.body:]}
	for !c.done() && !c.peek().Is("SET") {
		c.i++
	}
	if !c.word("SET") {
		return
	}
	end := len(c.toks)
	for j := c.i; j < len(c.toks); j++ {
		if c.toks[j].Is("WHERE") || c.toks[j].Is("ORDER") || c.toks[j].Is("LIMIT") {
			end = j
			break
		}
	}
	for _, a := range split(c.toks[c.i:end]) {
		// [t.]col = expr
		k := 0
		if len(a) >= 3 && a[1].IsPunct(".") {
			k = 2
		}
		name, ok := a[k].Name()
		if !ok {
			continue
		}
		for _, n := range st.Tables {
			if t, _, ok := m.table(n); ok && t != nil {
				if col := t.col(name); col != nil {
					col.rewritten = true
				}
			}
		}
	}
}

func (m *model) alter(i int, st Statement) {
	n := st.Tables[0]
	t, _, ok := m.table(n)
	if !ok || t == nil {
		return
	}
	clauses := split(st.tokens[st.body:])
	// partitions reads the partition list that starts in clause after
	// the cursor and goes on in the clauses after it (p1, p2, …).
	partitions := func(ci int, rest []Token) []Token {
		names := slices.Clone(rest)
		for ci+1 < len(clauses) && len(clauses[ci+1]) == 1 && clauses[ci+1][0].Kind != Punct {
			ci++
			names = append(names, clauses[ci][0])
		}
		return names
	}
	for ci, clause := range clauses {
		c := &cursor{toks: clause}
		switch {
		case c.word("ADD"):
			c.word("COLUMN")
			c.word("IF", "NOT", "EXISTS")
			if c.peek().IsPunct("(") {
				inner := c.group()
				for _, def := range split(inner) {
					if col, ok := columnDef(def); ok && t.col(col.name) == nil {
						t.cols = append(t.cols, col)
					}
				}
			} else if col, ok := columnDef(clause[c.i:]); ok && t.col(col.name) == nil {
				t.cols = append(t.cols, col)
			}
		case c.word("DROP"):
			switch {
			case c.word("PARTITION"):
				m.partitionLoss(i, t, n.Name, "drops partition(s) of", partitions(ci, clause[c.i:]))
				continue
			case notColumn[upper(c.peek())] && !c.peek().Is("COLUMN"):
				continue
			}
			c.word("COLUMN")
			c.word("IF", "EXISTS")
			name, ok := c.name()
			if !ok {
				continue
			}
			if col := t.col(name); col != nil {
				m.releaseCol(i, t, col, n.Name, "drops", false)
				t.cols = removeCol(t.cols, col)
			}
		case c.word("TRUNCATE", "PARTITION"):
			m.partitionLoss(i, t, n.Name, "truncates partition(s) of", partitions(ci, clause[c.i:]))
		case c.word("CHANGE"):
			c.word("COLUMN")
			c.word("IF", "EXISTS")
			old, ok := c.name()
			if !ok {
				continue
			}
			if def, ok := columnDef(clause[c.i:]); ok {
				m.modify(i, t, n.Name, old, def)
			}
		case c.word("MODIFY"):
			c.word("COLUMN")
			c.word("IF", "EXISTS")
			if def, ok := columnDef(clause[c.i:]); ok {
				m.modify(i, t, n.Name, def.name, def)
			}
		case c.word("RENAME", "COLUMN"):
			old, ok1 := c.name()
			c.word("TO")
			nw, ok2 := c.name()
			if col := t.col(old); ok1 && ok2 && col != nil {
				col.name = nw
			}
		case c.word("RENAME", "INDEX"), c.word("RENAME", "KEY"):
		case c.word("RENAME"):
			if !c.word("TO") {
				c.word("AS")
			}
			if to, ok := c.table(); ok {
				m.rename(n, to)
				t2, _, ok := m.table(to)
				if !ok || t2 != t {
					return
				}
				n = to
			}
		}
	}
}

func removeCol(cols []*simCol, c *simCol) []*simCol {
	out := cols[:0:0]
	for _, x := range cols {
		if x != c {
			out = append(out, x)
		}
	}
	return out
}

// modify follows CHANGE old def / MODIFY def: a rename, a new type, a
// new nullability; values the new type does not hold are losses.
func (m *model) modify(i int, t *simTable, table, old string, def *simCol) {
	col := t.col(old)
	if col == nil {
		return
	}
	if col.holds != nil && !col.rewritten && !col.generated && !def.generated {
		ref := *col.holds
		if t.holds[ref.table] || m.tableRefs[ref.table] > 0 {
			if !holds(col.typ, def.typ) {
				if cond := lossCondition(quote(ref.col), col.typ, def.typ, m.mode); cond != "" {
					verb := "narrows"
					if col.typ.family() != def.typ.family() {
						verb = "changes"
					}
					m.report(candidate{loss: dialect.PredictedLoss{Statement: i, Table: table, Column: col.name,
						Change: fmt.Sprintf("%s the type (%s to %s) of", verb, col.typ, def.typ)},
						from: ref.table, where: cond, example: ref.col})
				}
			}
			if col.nullable && !def.nullable {
				m.report(candidate{loss: dialect.PredictedLoss{Statement: i, Table: table, Column: col.name,
					Change: "sets NOT NULL over the NULLs of"},
					from: ref.table, where: quote(ref.col) + " IS NULL"})
			}
		}
	}
	col.name, col.typ, col.nullable, col.generated = def.name, def.typ, def.nullable, def.generated
	if def.generated {
		// A regular column made generated: its values give way to
		// computed ones (the server refuses this in place; see
		// generated.go, which drops the column instead).
		m.releaseCol(i, t, col, table, "replaces with a generated column", false)
	}
}

// partitionLoss reports the rows of the partitions a clause names.
func (m *model) partitionLoss(i int, t *simTable, table, change string, names []Token) {
	if len(t.holds) != 1 {
		return
	}
	var parts []string
	for _, tok := range names {
		if n, ok := tok.Name(); ok {
			parts = append(parts, n)
		}
	}
	for o := range t.holds {
		if parts != nil && strings.EqualFold(parts[0], "ALL") {
			parts = nil
		}
		m.report(candidate{loss: dialect.PredictedLoss{Statement: i, Table: table, Change: change}, from: o, partitions: parts})
	}
}

// count counts, on the database as it stands, the rows of each loss,
// and keeps those with any: a hundred losses to a query, one query each
// when a batch fails, so that the error names its loss.
func (m *model) count(ctx context.Context, q dialect.Querier) ([]dialect.PredictedLoss, error) {
	parts := make([]string, len(m.losses))
	for i, c := range m.losses {
		from := quote(string(c.from))
		if c.partitions != nil {
			quoted := make([]string, len(c.partitions))
			for j, p := range c.partitions {
				quoted[j] = quote(p)
			}
			from += " PARTITION (" + strings.Join(quoted, ", ") + ")"
		}
		where := ""
		if c.where != "" {
			where = " WHERE " + c.where
		}
		example := "NULL"
		if c.example != "" {
			example = fmt.Sprintf("(SELECT CAST(%s AS CHAR) FROM %s%s LIMIT 1)", quote(c.example), from, where)
		}
		parts[i] = fmt.Sprintf("SELECT %d AS k, (SELECT COUNT(*) FROM %s%s) AS n, %s AS example", i, from, where, example)
	}
	type result struct {
		n       int64
		example sql.NullString
	}
	results := make([]result, len(parts))
	run := func(query string) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k int
			var r result
			if err := rows.Scan(&k, &r.n, &r.example); err != nil {
				return err
			}
			results[k] = r
		}
		return rows.Err()
	}
	const batch = 100
	for start := 0; start < len(parts); start += batch {
		chunk := parts[start:min(start+batch, len(parts))]
		if run(strings.Join(chunk, " UNION ALL ")) == nil {
			continue
		}
		for j, part := range chunk {
			if err := run(part); err != nil {
				c := m.losses[start+j]
				return nil, fmt.Errorf("mysql: data-loss guard: count what %q %s would lose: %w", c.loss.Change, c.loss.Table, err)
			}
		}
	}
	var out []dialect.PredictedLoss
	for i, c := range m.losses {
		r := results[i]
		if r.n == 0 {
			continue
		}
		l := c.loss
		l.Rows = r.n
		switch {
		case strings.HasSuffix(c.where, " IS NULL"):
			l.Example = "NULL"
		case r.example.Valid:
			l.Example = quoteExample(r.example.String)
		}
		out = append(out, l)
	}
	return out, nil
}

// quoteExample quotes a value for a message, cut to a readable length.
func quoteExample(v string) string {
	const most = 60
	if r := []rune(v); len(r) > most {
		v = string(r[:most]) + "…"
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}
