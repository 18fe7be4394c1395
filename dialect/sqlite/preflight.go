package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.StatementChecker = Dialect{}

// CheckStatements reads a revision's statements with the dialect's lexer,
// before any of them runs, for the tables it rebuilds: tables of the
// database that a statement drops (DROP TABLE, under their own name or
// the one an ALTER TABLE ... RENAME TO gave them) and that the revision
// creates again under their name (CREATE TABLE, or a rename into it), as
// strata's rebuild does and as rebuilds written by hand do. It refuses
// such a revision
//
//   - when the table has triggers that the revision neither creates again
//     nor drops: dropping the table drops them, and nothing in the file
//     brings them back (triggers made behind strata's back, say, which
//     the schema the rebuild was rendered from did not know);
//   - when foreign keys are on and a table (itself included) references
//     it: dropping the old table deletes its rows first, which fires the
//     ON DELETE actions of the rows referencing it (CASCADE deletes them)
//     or fails. Inside a transaction PRAGMA foreign_keys is a no-op; in a
//     -- strata:no-transaction revision a PRAGMA foreign_keys = OFF before
//     the drop counts.
func (Dialect) CheckStatements(ctx context.Context, q dialect.Querier, statements []string, inTransaction bool) (*dialect.Refusal, error) {
	type dropped struct {
		at   int  // the statement that drops it
		fks  bool // foreign keys on at that statement
		name string
	}
	var (
		drops = map[string]dropped{} // by original name, folded
		// names maps each table's current name to its name in the
		// database, folded; "" for a table the revision created. The
		// database's tables are read (load) at the first statement that
		// drops or renames one, so a revision that only creates costs no
		// query.
		names    = map[string]string{}
		original = map[string]string{} // folded → as spelled
		created  = map[string]bool{}   // triggers created
		gone     = map[string]bool{}   // triggers dropped
		fksOn    bool
		fksSet   bool // a PRAGMA of the revision set fksOn
		loaded   bool
	)
	load := func() error {
		if loaded {
			return nil
		}
		loaded = true
		tables, err := pairs(ctx, q, "SELECT name, name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
		if err != nil {
			return fmt.Errorf("sqlite: read the tables: %w", err)
		}
		for _, t := range tables {
			k := strings.ToLower(t[0])
			if _, ok := names[k]; !ok {
				names[k], original[k] = k, t[0]
			}
		}
		if fksSet {
			return nil
		}
		on, err := pairs(ctx, q, "SELECT foreign_keys, foreign_keys FROM pragma_foreign_keys")
		if err != nil {
			return fmt.Errorf("sqlite: read PRAGMA foreign_keys: %w", err)
		}
		fksOn = len(on) > 0 && on[0][0] == "1"
		return nil
	}
	for i, stmt := range statements {
		toks := tokenize(stmt)
		if len(toks) < 3 {
			continue
		}
		switch {
		case toks[0].is("CREATE"):
			rest, temp := afterTemp(toks[1:])
			switch {
			case len(rest) > 0 && rest[0].is("TABLE") && !temp:
				if name, ok := objectName(rest[1:]); ok {
					names[strings.ToLower(name)] = ""
				}
			case len(rest) > 0 && rest[0].is("TRIGGER"):
				if name, ok := objectName(rest[1:]); ok {
					created[strings.ToLower(name)] = true
				}
			}
		case toks[0].is("DROP") && toks[1].is("TABLE"):
			if err := load(); err != nil {
				return nil, err
			}
			name, ok := objectName(toks[2:])
			if !ok {
				continue
			}
			k := strings.ToLower(name)
			if orig := names[k]; orig != "" {
				if _, seen := drops[orig]; !seen {
					drops[orig] = dropped{at: i, fks: fksOn, name: original[orig]}
				}
			}
			delete(names, k)
		case toks[0].is("DROP") && toks[1].is("TRIGGER"):
			if name, ok := objectName(toks[2:]); ok {
				gone[strings.ToLower(name)] = true
			}
		case toks[0].is("ALTER") && toks[1].is("TABLE"):
			from, rest := qualifiedName(toks[2:])
			if from == "" || len(rest) < 3 || !rest[0].is("RENAME") || !rest[1].is("TO") {
				continue
			}
			if err := load(); err != nil {
				return nil, err
			}
			to := rest[2].name()
			orig, ok := names[strings.ToLower(from)]
			delete(names, strings.ToLower(from))
			if ok {
				names[strings.ToLower(to)] = orig
			}
		case toks[0].is("PRAGMA") && !inTransaction:
			if on, ok := foreignKeysPragma(toks[1:]); ok {
				fksOn, fksSet = on, true
			}
		}
	}
	if len(drops) == 0 {
		return nil, nil
	}
	var rebuilt []string
	for orig := range drops {
		if _, again := names[orig]; again {
			rebuilt = append(rebuilt, orig)
		}
	}
	slices.SortFunc(rebuilt, func(a, b string) int { return drops[a].at - drops[b].at })
	for _, orig := range rebuilt {
		d := drops[orig]
		triggers, err := pairs(ctx, q, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE ORDER BY name", d.name)
		if err != nil {
			return nil, fmt.Errorf("sqlite: read the triggers of %s: %w", d.name, err)
		}
		var lost, defs []string
		for _, tr := range triggers {
			if k := strings.ToLower(tr[0]); !created[k] && !gone[k] {
				lost, defs = append(lost, tr[0]), append(defs, tr[1]+";")
			}
		}
		if len(lost) > 0 {
			return &dialect.Refusal{
				Statement: d.at,
				Table:     d.name,
				Reason: fmt.Sprintf("the revision drops table %s and creates it again, but not its trigger(s) %s, which dropping the table drops",
					d.name, strings.Join(lost, ", ")),
				Fix: fmt.Sprintf("add their CREATE TRIGGER statements after the table is created again (or DROP TRIGGER them first if they should go); as the database has them:\n%s",
					strings.Join(defs, "\n")),
			}, nil
		}
		if !d.fks {
			continue
		}
		refs, err := pairs(ctx, q, `SELECT DISTINCT m.name, m.name FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE ORDER BY m.name`, d.name)
		if err != nil {
			return nil, fmt.Errorf("sqlite: read the foreign keys to %s: %w", d.name, err)
		}
		var by []string
		for _, r := range refs {
			by = append(by, r[0])
		}
		if len(by) > 0 {
			return &dialect.Refusal{
				Statement: d.at,
				Table:     d.name,
				Reason: fmt.Sprintf("foreign keys are on, and the revision drops table %s, which %s reference(s), and creates it again: dropping it deletes its rows first, which deletes the rows referencing them (ON DELETE CASCADE), sets them to NULL, or fails",
					d.name, strings.Join(by, ", ")),
				Fix: "run the migration with foreign keys off (strata's sqlite: URLs leave them off unless _pragma=foreign_keys(1) is given), or mark the revision -- strata:no-transaction and start it with PRAGMA foreign_keys = OFF",
			}, nil
		}
	}
	return nil, nil
}

// afterTemp skips TEMP or TEMPORARY after CREATE, reporting it.
func afterTemp(toks []token) ([]token, bool) {
	if len(toks) > 0 && (toks[0].is("TEMP") || toks[0].is("TEMPORARY")) {
		return toks[1:], true
	}
	return toks, false
}

// objectName reads the name after CREATE TABLE, DROP TABLE, CREATE
// TRIGGER and the like: [IF [NOT] EXISTS] [schema.]name. ok is false for
// a name in another schema than main (temp, an attached database).
func objectName(toks []token) (string, bool) {
	if len(toks) > 1 && toks[0].is("IF") {
		toks = toks[1:]
		if len(toks) > 0 && toks[0].is("NOT") {
			toks = toks[1:]
		}
		if len(toks) > 0 && toks[0].is("EXISTS") {
			toks = toks[1:]
		}
	}
	if len(toks) >= 3 && isName(toks[0]) && toks[1].isPunct(".") && isName(toks[2]) {
		return toks[2].name(), strings.EqualFold(toks[0].name(), "main")
	}
	if len(toks) > 0 && isName(toks[0]) {
		return toks[0].name(), true
	}
	return "", false
}

// qualifiedName reads [main.]name and returns it with the tokens after it;
// "" for a name in another schema.
func qualifiedName(toks []token) (string, []token) {
	if len(toks) >= 3 && isName(toks[0]) && toks[1].isPunct(".") && isName(toks[2]) {
		if !strings.EqualFold(toks[0].name(), "main") {
			return "", nil
		}
		return toks[2].name(), toks[3:]
	}
	if len(toks) > 0 && isName(toks[0]) {
		return toks[0].name(), toks[1:]
	}
	return "", nil
}

// foreignKeysPragma reads the tokens after PRAGMA: [main.]foreign_keys =
// value or (value); ok is false for any other pragma, or a query of it.
func foreignKeysPragma(toks []token) (on, ok bool) {
	if len(toks) >= 2 && toks[1].isPunct(".") {
		toks = toks[2:]
	}
	if len(toks) < 3 || !toks[0].is("foreign_keys") || !toks[1].isPunct("=") && !toks[1].isPunct("(") {
		return false, false
	}
	switch v := strings.ToLower(strings.Trim(toks[2].text, `'"`)); v {
	case "1", "on", "true", "yes":
		return true, true
	case "0", "off", "false", "no":
		return false, true
	}
	return false, false
}

// pairs runs query, whose rows are two strings, and returns them.
func pairs(ctx context.Context, q dialect.Querier, query string, args ...any) ([][2]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
