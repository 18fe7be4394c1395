package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var (
	_ dialect.Fingerprinter = (*Dialect)(nil)
	_ dialect.Settler       = (*Dialect)(nil)
)

// The fingerprint's queries select one line of text per catalog object of
// the schemas on the search path (current_schemas(false)). What rows
// change (row counts, statistics, sequence values, relfilenodes) is left
// out, so that only DDL moves the fingerprint. {ns} stands for the
// condition on a namespace column, {notours} for the one leaving out
// strata's tables, {tables} for the one choosing the tables whose
// definitions are read.
//
// An index's validity (indisvalid, indisready) is left out on purpose: an
// index that a killed CREATE INDEX CONCURRENTLY left invalid is dropped by
// Settle before the fingerprint is compared (so the statement reads as not
// done and runs again), and one that a killed DROP INDEX CONCURRENTLY left
// invalid still exists (so the statement reads as not done, and the drop,
// which accepts an invalid index, runs again).

// fingerprintNames lists the relations (tables, views, indexes, sequences,
// composite types) by schema, name and kind: cheap, one catalog scan.
const fingerprintNames = `SELECT concat_ws('|', 'n', n.nspname, c.relname, c.relkind) AS line
	 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	 LEFT JOIN pg_index x ON x.indexrelid = c.oid LEFT JOIN pg_class xt ON xt.oid = x.indrelid
	 WHERE {ns} AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I', 'S', 'f', 'c')
	   AND c.relname NOT IN ({notours}) AND coalesce(xt.relname, '') NOT IN ({notours})`

// fingerprintTables read the definitions of the tables {tables} selects
// (t is the table's pg_class row).
var fingerprintTables = []string{
	`SELECT concat_ws('|', 't', n.nspname, t.relname, t.relkind, t.relpersistence, t.reloptions::text, t.relrowsecurity,
	  pg_get_expr(t.relpartbound, t.oid), obj_description(t.oid, 'pg_class')) AS line
	 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace WHERE {ns} AND {tables}`,
	`SELECT concat_ws('|', 'c', n.nspname, t.relname, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
	  pg_get_expr(d.adbin, d.adrelid), a.attidentity, {generated}, a.attcollation::regcollation::text, col_description(t.oid, a.attnum)) AS line
	 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid
	 LEFT JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum
	 WHERE {ns} AND {tables} AND a.attnum > 0 AND NOT a.attisdropped`,
	`SELECT concat_ws('|', 'i', n.nspname, t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisprimary, x.indisclustered) AS line
	 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
	 WHERE {ns} AND {tables}`,
	`SELECT concat_ws('|', 'k', n.nspname, t.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred) AS line
	 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_constraint k ON k.conrelid = t.oid
	 WHERE {ns} AND {tables}`,
	`SELECT concat_ws('|', 'g', n.nspname, t.relname, g.tgname, pg_get_triggerdef(g.oid), g.tgenabled) AS line
	 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_trigger g ON g.tgrelid = t.oid
	 WHERE {ns} AND {tables} AND NOT g.tgisinternal`,
}

// fingerprintObjects read the objects beside tables' definitions, for the
// whole schema: views' queries, sequences' parameters, types (enum labels,
// domains), functions and procedures, extensions.
var fingerprintObjects = []string{
	`SELECT concat_ws('|', 'v', n.nspname, c.relname, pg_get_viewdef(c.oid)) AS line
	 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ns} AND c.relkind IN ('v', 'm')`,
	`SELECT concat_ws('|', 's', n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle) AS line
	 FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ns}`,
	`SELECT concat_ws('|', 'y', n.nspname, t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
	  (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
	  (SELECT string_agg(pg_get_constraintdef(k.oid), ',' ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid)) AS line
	 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
	 WHERE {ns} AND t.typtype IN ('e', 'd', 'r', 'b', 'm') AND t.typcategory <> 'A'`,
	`SELECT concat_ws('|', 'f', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid),
	  p.prolang, p.provolatile, p.prosecdef, md5(p.prosrc)) AS line
	 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {ns}`,
	`SELECT concat_ws('|', 'x', e.extname, e.extversion) AS line FROM pg_extension e`,
}

// Fingerprint hashes the catalog of the schemas on the search path as far
// as statement can change it: the names and kinds of every relation, and
// the definitions (columns, indexes, constraints, triggers) of every
// table, or only of the one table statement names where it is CREATE
// [UNIQUE] INDEX [CONCURRENTLY] … ON table, ALTER TABLE or CREATE TABLE;
// none for DROP INDEX, REINDEX and VACUUM, whose effect on the catalog is
// on names only (or nothing). Views, sequences, types, functions and
// extensions are read unless the statement is scoped. CREATE and DROP
// DATABASE or TABLESPACE read whether the object they name exists. Tables
// named in exclude (strata's own) and their indexes are left out.
//
// The runner takes a fingerprint before each statement of a
// -- strata:no-transaction revision that cannot run in a transaction, and
// compares it after a crash with one taken for the same statement, to
// learn whether the statement ran.
func (d *Dialect) Fingerprint(ctx context.Context, q dialect.Querier, statement string, exclude []string) (string, error) {
	sc := fingerprintScope(statement)
	var parts []string
	switch {
	case sc.database != "":
		parts = []string{fmt.Sprintf(`SELECT concat_ws('|', 'd', datname) AS line FROM pg_database WHERE datname = %s`, quoteString(sc.database))}
	case sc.tablespace != "":
		parts = []string{fmt.Sprintf(`SELECT concat_ws('|', 'p', spcname) AS line FROM pg_tablespace WHERE spcname = %s`, quoteString(sc.tablespace))}
	default:
		parts = []string{fingerprintNames}
		switch {
		case !sc.scoped:
			parts = append(parts, fingerprintTables...)
			parts = append(parts, fingerprintObjects...)
		case sc.table != "":
			for _, p := range fingerprintTables {
				parts = append(parts, strings.ReplaceAll(p, "{tables}", "t.relname = "+quoteString(sc.table)+" AND t.relname NOT IN ({notours})"))
			}
		}
	}
	notOurs := "''"
	if len(exclude) > 0 {
		lits := make([]string, len(exclude))
		for i, t := range exclude {
			lits[i] = quoteString(t)
		}
		notOurs = strings.Join(lits, ", ")
	}
	generated := "''"
	if d.atLeast(120000) {
		generated = "a.attgenerated"
	}
	query := strings.Join(parts, "\nUNION ALL\n")
	query = strings.NewReplacer(
		"{tables}", "t.relkind IN ('r', 'p', 'f', 'v', 'm') AND t.relname NOT IN ("+notOurs+")",
		"{notours}", notOurs,
		"{ns}", "n.nspname = ANY (current_schemas(false))",
		"{generated}", generated,
	).Replace(query)
	sum, err := dialect.HashLines(ctx, q, query)
	if err != nil {
		return "", fmt.Errorf("postgres: fingerprint the schema: %w", err)
	}
	return sum, nil
}

// scope is what part of the catalog a statement can change, as
// fingerprintScope reads it.
type scope struct {
	// scoped is false when the whole schema must be read.
	scoped bool
	// table is the one table whose definition the statement changes;
	// empty (with scoped) when it changes names only, or nothing.
	table string
	// index is the index a CREATE INDEX names, ifNotExists whether it
	// says IF NOT EXISTS; concurrently whether it builds or drops
	// CONCURRENTLY.
	index        string
	concurrently bool
	// reindex is set for REINDEX [INDEX|TABLE] … CONCURRENTLY name:
	// reindexIndex tells whether name is an index (else a table, or for
	// SCHEMA/DATABASE/SYSTEM empty).
	reindex      bool
	reindexIndex bool
	reindexName  string
	// database and tablespace are the ones CREATE/DROP DATABASE or
	// TABLESPACE names.
	database, tablespace string
	// drop is set for DROP INDEX.
	drop bool
}

// fingerprintScope reads which part of the catalog statement can change.
// A name qualified with a schema leaves the statement unscoped.
func fingerprintScope(statement string) scope {
	toks, ok := lexNames(statement)
	if !ok {
		return scope{}
	}
	i := 0
	word := func(ws ...string) bool {
		for k, w := range ws {
			if i+k >= len(toks) || toks[i+k].quoted || toks[i+k].text != w {
				return false
			}
		}
		i += len(ws)
		return true
	}
	name := func() (string, bool) {
		if i >= len(toks) || toks[i].punct {
			return "", false
		}
		n := toks[i]
		i++
		if i < len(toks) && toks[i].punct && toks[i].text == "." {
			return "", false // qualified: maybe another schema
		}
		return n.name(), true
	}
	var sc scope
	switch {
	case word("CREATE"):
		unique := word("UNIQUE")
		if word("INDEX") {
			sc.concurrently = word("CONCURRENTLY")
			word("IF", "NOT", "EXISTS")
			if !word("ON") {
				n, ok := name()
				if !ok || !word("ON") {
					return scope{}
				}
				sc.index = n
			}
			word("ONLY")
			t, ok := name()
			if !ok {
				return scope{}
			}
			sc.scoped, sc.table = true, t
			return sc
		}
		if unique {
			return scope{}
		}
		switch {
		case word("DATABASE"):
			if n, ok := name(); ok {
				return scope{scoped: true, database: n}
			}
		case word("TABLESPACE"):
			if n, ok := name(); ok {
				return scope{scoped: true, tablespace: n}
			}
		case word("TABLE"):
			word("IF", "NOT", "EXISTS")
			if t, ok := name(); ok {
				return scope{scoped: true, table: t}
			}
		}
	case word("ALTER", "TABLE"):
		word("IF", "EXISTS")
		word("ONLY")
		if t, ok := name(); ok {
			return scope{scoped: true, table: t}
		}
	case word("DROP"):
		switch {
		case word("INDEX"):
			return scope{scoped: true, drop: true, concurrently: word("CONCURRENTLY")}
		case word("DATABASE"):
			word("IF", "EXISTS")
			if n, ok := name(); ok {
				return scope{scoped: true, database: n}
			}
		case word("TABLESPACE"):
			word("IF", "EXISTS")
			if n, ok := name(); ok {
				return scope{scoped: true, tablespace: n}
			}
		}
	case word("REINDEX"):
		if i < len(toks) && toks[i].punct && toks[i].text == "(" {
			for i < len(toks) && !(toks[i].punct && toks[i].text == ")") {
				i++
			}
			i++
		}
		sc = scope{scoped: true, reindex: true}
		switch {
		case word("INDEX"):
			sc.reindexIndex = true
		case word("TABLE"):
		default:
			i++ // SCHEMA, DATABASE, SYSTEM
			sc.concurrently = word("CONCURRENTLY")
			return sc
		}
		sc.concurrently = word("CONCURRENTLY")
		if n, ok := name(); ok {
			sc.reindexName = n
		}
		return sc
	case word("VACUUM"), word("ANALYZE"), word("CLUSTER"):
		return scope{scoped: true}
	}
	return scope{}
}

// token is a word, quoted name or punctuation of a statement, as lexNames
// reads it: words upper-cased in text, quoted names as written.
type token struct {
	text   string
	raw    string
	quoted bool
	punct  bool
}

// name returns the token as an identifier: a bare word folded to lower
// case, as PostgreSQL does, a quoted name as written.
func (t token) name() string {
	if t.quoted {
		return t.text
	}
	return strings.ToLower(t.raw)
}

// lexNames reads statement through Lex into words (upper-cased),
// "quoted names" and punctuation (strings count as punctuation); ok is
// false when a string, quoted name or comment does not end.
func lexNames(s string) ([]token, bool) {
	toks, err := Lex(s)
	out := make([]token, 0, len(toks))
	for _, t := range toks {
		switch t.Kind {
		case Word:
			out = append(out, token{text: strings.ToUpper(t.Text), raw: t.Text})
		case Quoted:
			out = append(out, token{text: t.Value, raw: t.Text, quoted: true})
		default:
			out = append(out, token{text: t.Text, raw: t.Text, punct: true})
		}
	}
	return out, err == nil
}

// Settle removes what an interrupted run of statement left half-made, so
// that the catalog shows the statement either done or not done before the
// runner compares fingerprints to learn which:
//
//   - CREATE INDEX CONCURRENTLY killed during its build leaves the index
//     in the catalog, invalid: Settle drops it (DROP INDEX CONCURRENTLY),
//     and the statement runs again. An unnamed index's leftover is an
//     invalid index on the table whose name ends in _idx or _idx<n>, the
//     form PostgreSQL gives one.
//   - REINDEX … CONCURRENTLY leaves invalid indexes named <index>_ccnew
//     (the new copy, before the swap) or <index>_ccold (the old one, after
//     it): Settle drops them, and the REINDEX, which changes nothing the
//     fingerprint reads, runs again.
//
// A DROP INDEX CONCURRENTLY killed half-way leaves its index invalid but
// present: the fingerprint reads it as not dropped, and the drop runs
// again. Anything else is left as it is.
func (d *Dialect) Settle(ctx context.Context, q dialect.Querier, statement string) (string, error) {
	sc := fingerprintScope(statement)
	var cond string
	switch {
	case sc.concurrently && !sc.drop && sc.table != "" && sc.index != "":
		cond = "i.relname = " + quoteString(sc.index)
	case sc.concurrently && !sc.drop && sc.table != "":
		cond = "t.relname = " + quoteString(sc.table) + ` AND i.relname ~ '_idx[0-9]*$'`
	case sc.reindex && sc.concurrently:
		cond = `i.relname ~ '_cc(new|old)[0-9]*$'`
		switch {
		case sc.reindexName == "":
		case sc.reindexIndex:
			// The leftovers sit on the index's table.
			cond += " AND t.oid = (SELECT x2.indrelid FROM pg_index x2 JOIN pg_class i2 ON i2.oid = x2.indexrelid WHERE i2.relname = " +
				quoteString(sc.reindexName) + " AND i2.relnamespace::regnamespace::text = ANY (current_schemas(false)) LIMIT 1)"
		default:
			cond += " AND t.relname = " + quoteString(sc.reindexName)
		}
	default:
		return "", nil
	}
	rows, err := q.QueryContext(ctx, `SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace
		WHERE n.nspname = ANY (current_schemas(false)) AND NOT x.indisvalid AND `+cond+` ORDER BY 1`)
	if err != nil {
		return "", fmt.Errorf("postgres: find indexes left invalid: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", fmt.Errorf("postgres: find indexes left invalid: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("postgres: find indexes left invalid: %w", err)
	}
	for _, n := range names {
		if _, err := q.ExecContext(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+n); err != nil {
			return "", fmt.Errorf("postgres: drop index %s left invalid by an interrupted build: %w", n, err)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	return "dropped the invalid index(es) it had left half-built: " + strings.Join(names, ", "), nil
}
