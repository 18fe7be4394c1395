package mysql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// RenderPlan implements dialect.PlanRenderer. Each op renders as Render
// renders it, on the schema as it stands before the op; then the ALTER
// TABLE statements of one table are made one statement with all their
// clauses wherever the server allows it, so that a table the plan
// changes in several ways is copied once rather than once per op. Two
// things decide where a table's clauses may go together:
//
//   - order: a statement's clauses join the table's earlier ALTER TABLE
//     only when no statement in between concerns that table or any
//     table the statement names (a foreign key's referenced table, the
//     table of a dropped foreign key's references, the tables on either
//     side of a dropped table's foreign keys). A statement that is
//     not an ALTER TABLE of the plan's own (UPDATE of a backfill, CREATE
//     or RENAME TABLE) concerns the tables it names, so the NOT NULL
//     steps (add nullable, UPDATE, set NOT NULL) stay three statements;
//     SQL written by hand, views and triggers, whose bodies may name any
//     table, close every table's statement;
//   - the server's rules within one ALTER TABLE, found on MariaDB 10.11
//     (see canJoin): clauses of a statement all read the table as it was
//     before it, so no two ops' clauses may touch the same column
//     (RENAME COLUMN a TO b, MODIFY b fails: unknown column); a foreign
//     key dropped cannot be added again under its name in the same
//     statement (errno 121, duplicate key on write); an index added
//     cannot be dropped in it (1091), nor the index the server generates
//     for a foreign key it adds; a foreign key that references its own
//     table needs the referenced key before the statement that adds it
//     (errno 150) and after the one that drops it (1553). Dropping an
//     index or check and adding one of the same name,
//     dropping a foreign key and then its index, or changing a column
//     and adding or dropping its foreign keys all go together.
//
// Besides, the type of a column in a foreign key, on either side, cannot
// change while the key stands (MariaDB: 1832 and 1833, also for a wider
// VARCHAR; MySQL 8 allows a wider VARCHAR in place but refuses other
// changes the same way): RenderPlan drops those keys before the first op
// that changes such a column (in the same statement as the change, for
// the table's own keys) and adds them back after the last one, once both
// sides agree again. A DropForeignKey of such a key in between renders
// nothing.
func (d *Dialect) RenderPlan(current *schema.Schema, ops []op.Op) ([]dialect.Statement, error) {
	if current == nil {
		var out []dialect.Statement
		for i, o := range ops {
			stmts, err := d.Render(nil, o)
			if err != nil {
				return nil, fmt.Errorf("render %s: %w", o, err)
			}
			for _, s := range stmts {
				out = append(out, dialect.Statement{SQL: s, Ops: []int{i}})
			}
		}
		return out, nil
	}
	s := current.Clone()
	p := &plan{lastTouch: map[string]int{}, open: map[string]int{}, barrier: -1}
	// detoured are the foreign keys dropped around a change of their
	// columns, in the order dropped, so that they come back in it.
	var detoured []fkName
	for i, o := range ops {
		var stmts []string
		skip := false
		switch o := o.(type) {
		case op.AlterColumn:
			for _, r := range keysOfColumn(s, o) {
				k := fkName{r.table.Name, r.fk.Name}
				if slices.Contains(detoured, k) {
					continue
				}
				detoured = append(detoured, k)
				stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s DROP FOREIGN KEY %s", quote(r.table.Name), quote(r.fk.Name)))
			}
		case op.DropForeignKey:
			if fk, ok := foreignKeyIn(s, o.Table, o.ForeignKey); ok && slices.Contains(detoured, fkName{o.Table, fk.Name}) {
				// Dropped already, around a change of its columns.
				detoured = slices.DeleteFunc(detoured, func(k fkName) bool { return k == fkName{o.Table, fk.Name} })
				skip = true
			}
		}
		if !skip {
			more, err := d.Render(s, o)
			if err != nil {
				return nil, fmt.Errorf("render %s: %w", o, err)
			}
			stmts = append(stmts, more...)
		}
		for _, sql := range stmts {
			p.add(s, sql, i, o)
		}
		if err := o.Apply(s); err != nil {
			return nil, fmt.Errorf("follow %s: %w", o, err)
		}
		waiting := detoured[:0:0]
		for _, k := range detoured {
			if laterChange(s, k, ops[i+1:]) {
				waiting = append(waiting, k)
				continue
			}
			t, ok := s.Table(k.table)
			if !ok {
				continue
			}
			j := slices.IndexFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return fk.Name == k.name })
			if j < 0 || absent(s, t.ForeignKeys[j]) {
				continue
			}
			// The key comes back over the indexes it had: no new key, so
			// none the server would drop (keepGenerated).
			p.add(s, fmt.Sprintf("ALTER TABLE %s ADD %s", quote(t.Name), foreignKeyDef(t.ForeignKeys[j])), i, o)
		}
		detoured = waiting
	}
	return p.statements(), nil
}

// fkName is a foreign key by its table and name.
type fkName struct{ table, name string }

// keyTypeChanges reports whether changing from into to is one the server
// refuses for a column of a foreign key: its type or collation changes.
func keyTypeChanges(from, to *schema.Column) bool {
	return formatType(from.Type) != formatType(to.Type) || !strings.EqualFold(from.Collation, to.Collation)
}

// keysOfColumn returns the foreign keys of s, on any table, that o's
// column belongs to (as a column of the key or a referenced one), when o
// changes its type; keys the server does not hold (absent) aside.
func keysOfColumn(s *schema.Schema, o op.AlterColumn) []fkRef {
	if !keyTypeChanges(o.From, o.To) {
		return nil
	}
	var out []fkRef
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			if fk.Name == "" || absent(s, fk) {
				continue
			}
			if t.Name == o.Table && slices.Contains(fk.Columns, o.From.Name) ||
				fk.RefTable == o.Table && slices.Contains(fk.RefColumns, o.From.Name) {
				out = append(out, fkRef{t, fk})
			}
		}
	}
	return out
}

// laterChange reports whether one of ops changes the type of a column of
// the foreign key k (either side), as s names its columns: the key waits
// for that op before it comes back.
func laterChange(s *schema.Schema, k fkName, ops []op.Op) bool {
	t, ok := s.Table(k.table)
	if !ok {
		return false
	}
	i := slices.IndexFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return fk.Name == k.name })
	if i < 0 {
		return false
	}
	fk := t.ForeignKeys[i]
	for _, o := range ops {
		ac, ok := o.(op.AlterColumn)
		if !ok || !keyTypeChanges(ac.From, ac.To) {
			continue
		}
		if ac.Table == fk.RefTable && slices.Contains(fk.RefColumns, ac.From.Name) ||
			ac.Table == t.Name && slices.Contains(fk.Columns, ac.From.Name) {
			return true
		}
	}
	return false
}

// foreignKeyIn finds fk in table of s by name, or, unnamed, by definition.
func foreignKeyIn(s *schema.Schema, table string, fk *schema.ForeignKey) (*schema.ForeignKey, bool) {
	t, ok := tableIn(s, table)
	if !ok || fk == nil {
		return nil, false
	}
	i := slices.IndexFunc(t.ForeignKeys, func(c *schema.ForeignKey) bool {
		return fk.Name != "" && c.Name == fk.Name || fk.Name == "" && schema.FKString(c) == schema.FKString(fk)
	})
	if i < 0 {
		return nil, false
	}
	return t.ForeignKeys[i], true
}

// plan gathers rendered statements, joining the ALTER TABLE clauses of
// one table (see RenderPlan).
type plan struct {
	out []*group
	// lastTouch is, per table (lower case), the index in out of the last
	// statement that concerns it.
	lastTouch map[string]int
	// open is, per table (lower case), the index in out of its last ALTER
	// TABLE, which later clauses may join.
	open map[string]int
	// barrier is the index in out of the last statement that concerns
	// every table.
	barrier int
}

// group is one statement of the plan: SQL as rendered, or an ALTER TABLE
// whose clauses come from one or more rendered statements.
type group struct {
	sql   string
	alter *alterClauses
	// pieces is the number of rendered statements joined in.
	pieces int
	ops    []int
}

func (g *group) statement() dialect.Statement {
	if g.pieces < 2 {
		return dialect.Statement{SQL: g.sql, Ops: g.ops}
	}
	return dialect.Statement{
		SQL: "ALTER TABLE " + quote(g.alter.table) + "\n  " + strings.Join(g.alter.clauses, ",\n  "),
		Ops: g.ops,
	}
}

func (p *plan) statements() []dialect.Statement {
	out := make([]dialect.Statement, len(p.out))
	for i, g := range p.out {
		out[i] = g.statement()
	}
	return out
}

// add places sql, rendered for op i (o) on s as it stands before o.
func (p *plan) add(s *schema.Schema, sql string, i int, o op.Op) {
	st := Classify(sql)
	ac := readAlter(st, sql)
	involved, global := concerns(s, st, o, ac)
	if ac != nil {
		key := strings.ToLower(ac.table)
		if g, ok := p.open[key]; ok && g > p.barrier && p.free(involved, g) && canJoin(p.out[g].alter, ac) {
			joined := p.out[g]
			joined.alter.join(ac)
			joined.pieces++
			if !slices.Contains(joined.ops, i) {
				joined.ops = append(joined.ops, i)
			}
			for _, t := range involved {
				p.lastTouch[t] = max(p.lastTouch[t], g)
			}
			return
		}
	}
	g := len(p.out)
	p.out = append(p.out, &group{sql: sql, alter: ac, pieces: 1, ops: []int{i}})
	for _, t := range involved {
		p.lastTouch[t] = g
	}
	if global {
		p.barrier = g
	}
	if ac != nil {
		p.open[strings.ToLower(ac.table)] = g
	}
}

// free reports whether no statement after out[g] concerns the tables.
func (p *plan) free(tables []string, g int) bool {
	for _, t := range tables {
		if at, ok := p.lastTouch[t]; ok && at > g {
			return false
		}
	}
	return true
}

// concerns returns the tables (lower case) a statement concerns: the
// ones it names that s holds, the ones its Classify reading acts on, and
// the referenced tables of the foreign keys it drops. global: it may
// concern any table.
func concerns(s *schema.Schema, st Statement, o op.Op, ac *alterClauses) (tables []string, global bool) {
	switch o.(type) {
	case op.Execute, op.CreateView, op.DropView, op.CreateTrigger, op.DropTrigger:
		return nil, true
	}
	switch st.Kind {
	case Unknown, Session, OtherDML, OtherDDL, DropDatabase:
		return nil, true
	}
	seen := map[string]bool{}
	addName := func(name string) {
		k := strings.ToLower(name)
		if !seen[k] {
			seen[k] = true
			tables = append(tables, k)
		}
	}
	for _, n := range st.Tables {
		addName(n.Name)
		if st.Kind != DropTable {
			continue
		}
		// A dropped table takes its foreign keys along: it concerns the
		// tables on either side of them, whose keys and columns they held.
		for _, t := range s.Tables {
			for _, fk := range t.ForeignKeys {
				switch {
				case strings.EqualFold(t.Name, n.Name):
					addName(fk.RefTable)
				case strings.EqualFold(fk.RefTable, n.Name):
					addName(t.Name)
				}
			}
		}
	}
	names := map[string]bool{}
	for _, t := range s.Tables {
		names[strings.ToLower(t.Name)] = true
	}
	for _, tok := range st.tokens {
		if n, ok := tok.Name(); ok && names[strings.ToLower(n)] {
			addName(n)
		}
	}
	if ac != nil {
		if t, ok := s.Table(ac.table); ok {
			for _, name := range ac.droppedFKs {
				for _, fk := range t.ForeignKeys {
					if strings.EqualFold(fk.Name, name) {
						addName(fk.RefTable)
						// Its referenced key cannot go in the statement
						// that drops it (1553).
						ac.selfRef = ac.selfRef || strings.EqualFold(fk.RefTable, ac.table)
					}
				}
			}
		}
	}
	return tables, false
}

// alterClauses is a statement read as the clauses of an ALTER TABLE,
// with what each touches, for canJoin.
type alterClauses struct {
	table   string
	clauses []string
	// columns (lower case) the clauses add, drop, change, rename or
	// place after.
	columns map[string]bool
	// added and dropped are the names (lower case) of indexes ("ix:"),
	// foreign keys ("fk:") and checks ("ck:"); DROP CONSTRAINT drops the
	// name in all three.
	added, dropped map[string]bool
	droppedFKs     []string
	options        map[string]bool
	// generates are the names (lower case) of the foreign keys it adds,
	// for which the server may generate an index of that name, which no
	// later clause of the statement can drop (1091).
	generates map[string]bool
	// sealed: a clause canJoin does not know; nothing joins it.
	sealed bool
	// selfRef: it adds or drops a foreign key that references its own
	// table, whose referenced key must exist before the statement that
	// adds it (errno 150) and after the one that drops it (1553).
	selfRef bool
}

// readAlter reads sql, classified as st, as clauses of an ALTER TABLE:
// an ALTER TABLE of one table, CREATE INDEX (ADD INDEX) or DROP INDEX …
// ON. It returns nil for any other statement.
func readAlter(st Statement, sql string) *alterClauses {
	if len(st.Tables) != 1 || st.Tables[0].Schema != "" || st.Err != nil {
		return nil
	}
	toks := st.tokens
	text := func(ts []Token) string {
		if len(ts) == 0 {
			return ""
		}
		last := ts[len(ts)-1]
		return sql[ts[0].Pos : last.Pos+len(last.Text)]
	}
	ac := &alterClauses{table: st.Tables[0].Name, columns: map[string]bool{}, added: map[string]bool{}, dropped: map[string]bool{}, options: map[string]bool{}, generates: map[string]bool{}}
	var clauses [][]Token
	switch st.Kind {
	case AlterTable:
		if st.IfExists {
			return nil
		}
		clauses = split(toks[st.body:])
		for _, c := range clauses {
			ac.clauses = append(ac.clauses, text(c))
		}
	case CreateIndex, DropIndex:
		// CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name ON t (…) [USING m],
		// DROP INDEX name ON t: the same as ADD … INDEX name (…) [USING m]
		// and DROP INDEX name.
		on := slices.IndexFunc(toks, func(t Token) bool { return t.Is("ON") })
		if on < 2 || on+2 > len(toks) {
			return nil
		}
		head, rest := toks[1:on], toks[on+2:]
		if st.Kind == CreateIndex {
			if len(rest) == 0 {
				return nil
			}
			clause := append([]Token{{Kind: Word, Text: "ADD", Value: "ADD"}}, head...)
			clauses = [][]Token{append(clause, rest...)}
			ac.clauses = []string{"ADD " + text(head) + " " + text(rest)}
		} else {
			if len(rest) != 0 {
				return nil
			}
			clauses = [][]Token{append([]Token{{Kind: Word, Text: "DROP", Value: "DROP"}}, head...)}
			ac.clauses = []string{"DROP " + text(head)}
		}
	default:
		return nil
	}
	for _, c := range clauses {
		ac.read(c)
	}
	return ac
}

// read records what one clause touches.
func (ac *alterClauses) read(clause []Token) {
	c := &cursor{toks: clause}
	name := func() string {
		n, ok := c.name()
		if !ok {
			ac.sealed = true
		}
		return strings.ToLower(n)
	}
	column := func() {
		if n := name(); n != "" {
			ac.columns[n] = true
		}
	}
	switch {
	case c.word("ADD"):
		switch {
		case c.word("PRIMARY", "KEY"):
			ac.added["ix:primary"] = true
		case c.word("CONSTRAINT"):
			n := name()
			switch {
			case c.word("FOREIGN", "KEY"):
				ac.added["fk:"+n] = true
				ac.generates[n] = true
				ac.references(c)
			case c.word("CHECK"):
				ac.added["ck:"+n] = true
			default:
				ac.sealed = true
			}
		case c.word("FOREIGN", "KEY"):
			ac.references(c)
		case c.word("CHECK"):
		case c.word("UNIQUE") || c.word("FULLTEXT") || c.word("SPATIAL") || c.peek().Is("INDEX") || c.peek().Is("KEY"):
			if c.word("INDEX") || c.word("KEY") {
				ac.added["ix:"+name()] = true
			} else {
				ac.sealed = true
			}
		default:
			c.word("COLUMN")
			if c.peek().IsPunct("(") {
				ac.sealed = true
				return
			}
			column()
			for ; !c.done(); c.i++ {
				if c.peek().Is("AFTER") {
					c.i++
					column()
					return
				}
			}
		}
	case c.word("DROP"):
		switch {
		case c.word("PRIMARY", "KEY"):
			ac.dropped["ix:primary"] = true
		case c.word("INDEX"), c.word("KEY"):
			ac.dropped["ix:"+name()] = true
		case c.word("FOREIGN", "KEY"):
			c.word("IF", "EXISTS")
			n, ok := c.name()
			if !ok {
				ac.sealed = true
			}
			ac.dropped["fk:"+strings.ToLower(n)] = true
			ac.droppedFKs = append(ac.droppedFKs, n)
		case c.word("CHECK"):
			ac.dropped["ck:"+name()] = true
		case c.word("CONSTRAINT"):
			c.word("IF", "EXISTS")
			n := name()
			ac.dropped["ix:"+n], ac.dropped["fk:"+n], ac.dropped["ck:"+n] = true, true, true
		default:
			c.word("COLUMN")
			c.word("IF", "EXISTS")
			column()
		}
	case c.word("MODIFY"):
		c.word("COLUMN")
		column()
	case c.word("CHANGE"):
		c.word("COLUMN")
		column()
		column()
	case c.word("RENAME", "COLUMN"):
		column()
		c.word("TO")
		column()
	case c.word("ENGINE"), c.word("COMMENT"), c.word("COLLATE"), c.word("CHARSET"), c.word("DEFAULT", "CHARSET"), c.word("DEFAULT", "COLLATE"):
		var words []string
		for _, t := range clause[:c.i] {
			words = append(words, strings.ToUpper(t.Text))
		}
		ac.options[strings.Join(words, " ")] = true
	default:
		ac.sealed = true
	}
}

// references reads REFERENCES t after a foreign key's columns.
func (ac *alterClauses) references(c *cursor) {
	for ; !c.done(); c.i++ {
		if c.peek().Is("REFERENCES") {
			c.i++
			if t, ok := c.table(); ok && strings.EqualFold(t.Name, ac.table) {
				ac.selfRef = true
			}
			return
		}
	}
}

// canJoin reports whether the clauses of x may follow those of g in one
// ALTER TABLE (see RenderPlan).
func canJoin(g, x *alterClauses) bool {
	if g == nil || x == nil || g.sealed || x.sealed || g.selfRef || x.selfRef || !strings.EqualFold(g.table, x.table) {
		return false
	}
	for c := range x.columns {
		if g.columns[c] {
			return false
		}
	}
	for o := range x.options {
		if g.options[o] {
			return false
		}
	}
	for n := range x.dropped {
		if g.added[n] || g.dropped[n] || strings.HasPrefix(n, "ix:") && g.generates[n[3:]] {
			return false
		}
	}
	for n := range x.added {
		// A check may come back under the name of one dropped before it; a
		// foreign key may not (errno 121); nor an index, which the server
		// then keeps in its old place when its definition is the same,
		// where the table's order of indexes (schema.Schema.Ordered) wants
		// it made again after the others. (The primary key is always
		// first.)
		if g.added[n] || g.dropped[n] && (strings.HasPrefix(n, "fk:") || strings.HasPrefix(n, "ix:") && n != "ix:primary") {
			return false
		}
	}
	return true
}

// join appends the clauses of x to ac.
func (ac *alterClauses) join(x *alterClauses) {
	ac.clauses = append(ac.clauses, x.clauses...)
	for c := range x.columns {
		ac.columns[c] = true
	}
	for n := range x.added {
		ac.added[n] = true
	}
	for n := range x.dropped {
		ac.dropped[n] = true
	}
	for o := range x.options {
		ac.options[o] = true
	}
	for n := range x.generates {
		ac.generates[n] = true
	}
	ac.droppedFKs = append(ac.droppedFKs, x.droppedFKs...)
	ac.selfRef = ac.selfRef || x.selfRef
}
