package postgres

import (
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// RenderPlan implements dialect.PlanRenderer. Each op renders as Render
// renders it, on the schema as it stands before the op; then an ALTER
// TABLE that directly follows another of the same table becomes one more
// subcommand of it (PostgreSQL takes comma-separated subcommands), so the
// table is locked once, and rewritten once for several type changes.
// Only ADD, DROP and ALTER subcommands join, and only where they touch
// columns and constraints the statement does not touch already, so that
// the order PostgreSQL runs subcommands in (drops, type changes, added
// columns, constraints) cannot differ from the order written; a foreign
// key to its own table stays apart. Nothing moves past another
// statement: CREATE INDEX, COMMENT ON and a backfill's UPDATE each end
// the statement before them.
func (d Dialect) RenderPlan(current *schema.Schema, ops []op.Op) ([]dialect.Statement, error) {
	var s *schema.Schema
	if current != nil {
		s = current.Clone()
	}
	var out []dialect.Statement
	var last *subcommands // of out's last statement, when it may grow
	for i, o := range ops {
		stmts, err := d.Render(s, o)
		if err != nil {
			return nil, err
		}
		for _, sql := range stmts {
			sc := readSubcommands(sql)
			if last != nil && sc != nil && last.accepts(sc) {
				last.join(sc)
				st := &out[len(out)-1]
				st.SQL = last.sql()
				if st.Ops[len(st.Ops)-1] != i {
					st.Ops = append(st.Ops, i)
				}
				continue
			}
			out = append(out, dialect.Statement{SQL: sql, Ops: []int{i}})
			last = sc
		}
		if s != nil {
			if err := o.Apply(s); err != nil {
				return nil, fmt.Errorf("follow %s: %w", o, err)
			}
		}
	}
	return out, nil
}

// subcommands is an ALTER TABLE read as its subcommands, with the
// columns and constraints they name.
type subcommands struct {
	table    string // quoted, as written
	commands []string
	// names are the columns ("c:") and constraints ("k:") named, in
	// lower case as PostgreSQL folds them or as quoted, and the names a
	// constraint refers to ("r:").
	names   map[string]bool
	selfRef bool
}

// readSubcommands reads sql, an ALTER TABLE "t" … as Render writes it,
// or returns nil: for another statement, or a subcommand other than
// ADD, DROP or ALTER.
func readSubcommands(sql string) *subcommands {
	toks, err := Lex(sql)
	if err != nil || len(toks) < 4 || !toks[0].Is("ALTER") || !toks[1].Is("TABLE") || toks[2].Kind != Quoted {
		return nil
	}
	sc := &subcommands{table: toks[2].Text, names: map[string]bool{}}
	var cmds [][]Token
	depth, start := 0, 3
	for i := 3; i < len(toks); i++ {
		switch t := toks[i]; {
		case t.Kind == Punct && t.Text == "(":
			depth++
		case t.Kind == Punct && t.Text == ")":
			depth--
		case t.Kind == Punct && t.Text == "," && depth == 0:
			cmds = append(cmds, toks[start:i])
			start = i + 1
		}
	}
	cmds = append(cmds, toks[start:])
	for _, c := range cmds {
		if len(c) < 2 {
			return nil
		}
		last := c[len(c)-1]
		sc.commands = append(sc.commands, sql[c[0].Pos:last.Pos+len(last.Text)])
		if !sc.read(c) {
			return nil
		}
	}
	return sc
}

// read records the names one subcommand touches; false for a kind that
// does not join.
func (sc *subcommands) read(c []Token) bool {
	name := func(i int, kind string) bool {
		if i >= len(c) {
			return false
		}
		n, ok := c[i].Name()
		if ok {
			sc.names[kind+n] = true
		}
		return ok
	}
	i := 1
	switch {
	case c[0].Is("ADD"):
		switch {
		case c[i].Is("CONSTRAINT"):
			if !name(i+1, "k:") {
				return false
			}
		case c[i].Is("PRIMARY") || c[i].Is("UNIQUE") || c[i].Is("CHECK") || c[i].Is("FOREIGN") || c[i].Is("EXCLUDE"):
		default:
			if c[i].Is("COLUMN") {
				i++
			}
			return name(i, "c:")
		}
		for j := i; j < len(c); j++ {
			if c[j].Is("REFERENCES") && j+1 < len(c) && c[j+1].Text == sc.table {
				sc.selfRef = true
			}
			if n, ok := c[j].Name(); ok {
				sc.names["r:"+n] = true
			}
		}
		return true
	case c[0].Is("DROP"):
		switch {
		case c[i].Is("CONSTRAINT"):
			i++
			if i+1 < len(c) && c[i].Is("IF") && c[i+1].Is("EXISTS") {
				i += 2
			}
			return name(i, "k:")
		case c[i].Is("COLUMN"):
			i++
			if i+1 < len(c) && c[i].Is("IF") && c[i+1].Is("EXISTS") {
				i += 2
			}
			return name(i, "c:")
		}
		return false
	case c[0].Is("ALTER"):
		if c[i].Is("COLUMN") {
			i++
		}
		return name(i, "c:")
	}
	return false
}

// accepts reports whether x may join sc's statement.
func (sc *subcommands) accepts(x *subcommands) bool {
	if sc.table != x.table || sc.selfRef || x.selfRef {
		return false
	}
	for n := range x.names {
		// A column changed after a constraint that refers to it: the
		// constraint would be checked after the change, not before.
		if sc.names[n] && !strings.HasPrefix(n, "r:") || strings.HasPrefix(n, "c:") && sc.names["r:"+n[2:]] {
			return false
		}
	}
	return true
}

func (sc *subcommands) join(x *subcommands) {
	sc.commands = append(sc.commands, x.commands...)
	for n := range x.names {
		sc.names[n] = true
	}
}

func (sc *subcommands) sql() string {
	return "ALTER TABLE " + sc.table + "\n  " + strings.Join(sc.commands, ",\n  ")
}
