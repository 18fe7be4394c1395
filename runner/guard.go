package runner

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/sqlx"
	"github.com/strata-go/strata/revision"
)

// Loss is data a statement would destroy: the rows of a table, or the
// values of a column.
type Loss struct {
	Revision  *revision.Revision
	Statement revision.Statement
	Table     string
	// Column is empty when the whole table goes.
	Column string
	// Rows counts the rows whose data goes: every row when a table or
	// column is dropped, the rows that would not fit or cast when a type
	// narrows.
	Rows int64
	// Change says what the statement does to the data, as a verb phrase:
	// "drops", "narrows to varchar(5), cutting".
	// Empty means "drops".
	Change string
	// Example is one value that would be lost, quoted for a message;
	// empty when there is nothing useful to show (a whole table).
	Example string
}

func (l Loss) change() string {
	if l.Change == "" {
		return "drops"
	}
	return l.Change
}

// DataLossError stops a run whose statements would drop tables or columns
// that hold data, unless the run is forced.
type DataLossError struct{ Losses []Loss }

func (e *DataLossError) Error() string {
	var b strings.Builder
	b.WriteString("runner: this would destroy data:")
	for _, l := range e.Losses {
		what := "table " + l.Table
		if l.Column != "" {
			what = fmt.Sprintf("column %s.%s", l.Table, l.Column)
		}
		fmt.Fprintf(&b, "\n  %s %s %s, which holds %d row(s) (%s)", l.Revision.ID, l.change(), what, l.Rows, l.Revision.Where(l.Statement))
		if l.Example != "" {
			fmt.Fprintf(&b, "; for example %s", l.Example)
		}
	}
	b.WriteString("\n  Nothing was changed. Back the data up if you need it, then run again with --force (strata.WithForce in Go).")
	return b.String()
}

var (
	dropTableRE   = regexp.MustCompile(`(?is)^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(` + sqlx.Ident + `(?:\s*,\s*` + sqlx.Ident + `)*)`)
	truncateRE    = regexp.MustCompile(`(?is)^\s*TRUNCATE\s+(?:TABLE\s+)?(` + sqlx.Ident + `)`)
	alterTableRE  = regexp.MustCompile(`(?is)^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(` + sqlx.Ident + `)\s+(.*)$`)
	dropColumnRE  = regexp.MustCompile(`(?is)(?:^|,)\s*DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(` + sqlx.Ident + `)`)
	createTableRE = regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(` + sqlx.Ident + `)`)
	renameToRE    = regexp.MustCompile(`(?is)^\s*ALTER\s+TABLE\s+(` + sqlx.Ident + `)\s+RENAME\s+TO\s+(` + sqlx.Ident + `)`)
	identSplitRE  = regexp.MustCompile(sqlx.Ident)
	notColumnWord = map[string]bool{"CONSTRAINT": true, "INDEX": true, "KEY": true, "PRIMARY": true, "FOREIGN": true, "CHECK": true, "DEFAULT": true, "NOT": true, "PARTITION": true}
)

// candidate is a loss to count: the query counts what would be lost.
type candidate struct {
	loss Loss
	// table names the table as the statement writes it.
	table string
	query string
}

// losses counts what the statements of rev would destroy; see candidates.
// inTx says q is a transaction, where a failed query must not abort it.
func (r *Runner) losses(ctx context.Context, q dialect.Querier, rev *revision.Revision, stmts []revision.Statement, inTx bool) []Loss {
	return r.count(ctx, q, candidates(rev, stmts), inTx)
}

// candidates finds the statements of stmts that drop tables or columns.
// A table the same statements rebuild (copy, drop, rename a new table into
// its place) or created earlier is not a loss.
func candidates(rev *revision.Revision, stmts []revision.Statement) []candidate {
	renamedInto := map[string]bool{}
	created := map[string]bool{}
	for _, s := range stmts {
		if m := renameToRE.FindStringSubmatch(s.SQL); m != nil {
			renamedInto[sqlx.Unquote(m[2])] = true
		}
	}
	var out []candidate
	add := func(s revision.Statement, table, column, query string) {
		out = append(out, candidate{Loss{Revision: rev, Statement: s, Table: sqlx.Unquote(table), Column: column}, table, query})
	}
	for _, s := range stmts {
		sql := s.SQL
		if m := createTableRE.FindStringSubmatch(sql); m != nil {
			created[sqlx.Unquote(m[1])] = true
			continue
		}
		if m := dropTableRE.FindStringSubmatch(sql); m != nil {
			for _, t := range identSplitRE.FindAllString(m[1], -1) {
				// strata's own scratch tables (a rebuild's guard) hold nothing
				// of the application's.
				if renamedInto[sqlx.Unquote(t)] || created[sqlx.Unquote(t)] || strings.HasPrefix(sqlx.Unquote(t), "_strata_") || strings.HasPrefix(strings.ToLower(t), "temp.") {
					continue
				}
				add(s, t, "", "SELECT COUNT(*) FROM "+t)
			}
			continue
		}
		if m := truncateRE.FindStringSubmatch(sql); m != nil {
			add(s, m[1], "", "SELECT COUNT(*) FROM "+m[1])
			continue
		}
		if m := alterTableRE.FindStringSubmatch(sql); m != nil && !created[sqlx.Unquote(m[1])] {
			refilled := sqlx.RefilledColumns(m[2])
			for _, c := range dropColumnRE.FindAllStringSubmatch(m[2], -1) {
				if notColumnWord[strings.ToUpper(c[1])] || refilled[sqlx.Unquote(c[1])] {
					continue
				}
				add(s, m[1], sqlx.Unquote(c[1]), fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s IS NOT NULL", m[1], c[1]))
			}
		}
	}
	return out
}

// count runs the candidates' queries, a hundred at a time as one UNION
// ALL, and keeps the ones that would lose rows. A table or column that
// does not exist now holds nothing: a batch that fails is counted query by
// query, each failure meaning nothing to lose. In a transaction each try
// sits in a savepoint, so that a failure does not abort the transaction.
// Where the dialect can tell empty tables from its catalog, it is asked
// first, and candidates on those tables are not counted: with a thousand
// tables to drop, that is one catalog query instead of a thousand counts.
func (r *Runner) count(ctx context.Context, q dialect.Querier, cands []candidate, inTx bool) []Loss {
	// guarded runs fn, in a savepoint when in a transaction, and reports
	// whether it succeeded.
	guarded := func(fn func() error) bool {
		if inTx {
			if _, err := q.ExecContext(ctx, "SAVEPOINT strata_guard"); err != nil {
				return false
			}
		}
		err := fn()
		if inTx {
			if err != nil {
				q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT strata_guard")
			}
			q.ExecContext(ctx, "RELEASE SAVEPOINT strata_guard")
		}
		return err == nil
	}
	try := func(query string, fn func(*sql.Rows) error) bool {
		return guarded(func() error {
			rows, err := q.QueryContext(ctx, query)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if err := fn(rows); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	}
	if prober, ok := r.Dialect.(dialect.EmptyTableProber); ok && len(cands) > 0 {
		var tables []string
		seen := map[string]bool{}
		for _, c := range cands {
			if !seen[c.table] {
				seen[c.table] = true
				tables = append(tables, c.table)
			}
		}
		var empty map[string]bool
		if guarded(func() (err error) { empty, err = prober.EmptyTables(ctx, q, tables); return err }) {
			cands = slices.DeleteFunc(slices.Clone(cands), func(c candidate) bool { return empty[c.table] })
		}
	}
	var out []Loss
	const batch = 100
	for start := 0; start < len(cands); start += batch {
		chunk := cands[start:min(start+batch, len(cands))]
		parts := make([]string, len(chunk))
		for i, c := range chunk {
			parts[i] = fmt.Sprintf("SELECT %d AS k, (%s) AS n", i, c.query)
		}
		counts := map[int]int64{}
		ok := try(strings.Join(parts, " UNION ALL "), func(rows *sql.Rows) error {
			var k int
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			counts[k] = n
			return nil
		})
		if !ok {
			for i, c := range chunk {
				try(c.query, func(rows *sql.Rows) error {
					var n int64
					err := rows.Scan(&n)
					counts[i] = n
					return err
				})
			}
		}
		for i, c := range chunk {
			if n := counts[i]; n > 0 {
				l := c.loss
				l.Rows = n
				out = append(out, l)
			}
		}
	}
	return out
}
