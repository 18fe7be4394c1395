package runner

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
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
type DataLossError struct {
	Losses []Loss
	// RolledBack says the losses were found by running the revision in
	// its transaction, which was then rolled back; revisions before it in
	// the same run stay applied.
	RolledBack bool
	// Applied lists the revisions the run completed before the guard
	// stopped it; they stay applied.
	Applied []Result
	// DryRun says a dry run found the losses: nothing was kept, and the
	// message says what the real run would do (Applied: what it would
	// apply and keep before the guard stops it).
	DryRun bool
}

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
	ids := make([]string, len(e.Applied))
	for i, r := range e.Applied {
		ids[i] = r.Revision.ID
	}
	verb, state := "applying", "applied"
	if len(e.Applied) > 0 && e.Applied[0].Direction == Down {
		verb, state = "undoing", "undone"
	}
	if e.DryRun {
		b.WriteString("\n  The real run would refuse ")
		if len(ids) > 0 {
			fmt.Fprintf(&b, "%s, after %s %s, which would stay %s.", e.Losses[0].Revision.ID, verb, strings.Join(ids, ", "), state)
		} else {
			b.WriteString("it before changing anything.")
		}
		b.WriteString("\n  Back the data up if you need it, then run with --force (strata.WithForce in Go).")
		return b.String()
	}
	if e.RolledBack {
		fmt.Fprintf(&b, "\n  %s ran in its transaction and was rolled back.", e.Losses[0].Revision.ID)
	}
	if len(ids) > 0 {
		fmt.Fprintf(&b, "\n  Completed before it in this run, and stay %s: %s.", state, strings.Join(ids, ", "))
	} else {
		b.WriteString("\n  Nothing was changed.")
	}
	b.WriteString("\n  Back the data up if you need it, then run again with --force (strata.WithForce in Go).")
	return b.String()
}

// warnNoGuard logs, once for the life of r, that its dialect offers no
// data-loss guard: it neither judges revisions by their effect
// (dialect.EffectGuard, with transactional DDL) nor predicts their losses
// (dialect.LossPredictor). Every built-in dialect offers one; strata
// never guesses from the spelling of statements instead.
func (r *Runner) warnNoGuard() {
	r.noGuardWarned.Do(func() {
		r.logger().Warn("the data-loss guard is unavailable for this dialect: revisions that drop tables, columns or values holding rows run unchecked",
			"dialect", r.Dialect.Name())
	})
}

// judgesByEffect tells whether the data-loss guard judges revisions by
// their effect: where DDL is transactional and the dialect reads its
// catalog for the guard. Elsewhere statements are classified before
// they run.
func (r *Runner) judgesByEffect() bool {
	_, ok := r.Dialect.(dialect.EffectGuard)
	return ok && r.Dialect.Capabilities().TransactionalDDL
}

// effect is the data-loss guard of a run where DDL is transactional: it
// judges each revision by what it did, inside the revision's transaction,
// rather than by how its SQL is spelled.
//
// Once per run it reads which tables hold rows (held). Around each
// revision it reads the catalog of those tables and asks the dialect
// which tables had rows written; when nothing of the held tables changed,
// the revision passes at the cost of those reads (one query on
// PostgreSQL while no table holds rows, as in a run on an empty
// database; four with a savepoint otherwise). When a
// table that held rows vanished, was emptied, or had a column vanish or
// change type, the revision is rolled back to a savepoint, the values of
// those tables are copied aside, and the revision runs again statement by
// statement, noting which statement changed what. Then each such table is
// looked for (by identity, else by its name, which a rebuild reuses) and
// each of its columns that held values (by identity, else by name): a
// table or column that is gone, rows or values that are missing or
// changed are losses. A revision that fills a table is followed by a new
// reading of which tables hold rows, so that a table filled and dropped
// in one run is judged too.
type effect struct {
	r    *Runner
	d    dialect.EffectGuard
	held map[string]bool
	// ignored are identities Written named that are no table of the
	// application's (strata's own, or gone).
	ignored map[string]bool
}

// newEffect reads which tables hold rows, or returns nil when the
// dialect cannot judge by effect or the run is forced.
func (r *Runner) newEffect(ctx context.Context, q dialect.Querier) (*effect, error) {
	d, ok := r.Dialect.(dialect.EffectGuard)
	if !ok || r.Force || !r.Dialect.Capabilities().TransactionalDDL {
		return nil, nil
	}
	e := &effect{r: r, d: d, ignored: map[string]bool{}}
	return e, e.refresh(ctx, q)
}

// refresh reads again which tables hold rows.
func (e *effect) refresh(ctx context.Context, q dialect.Querier) error {
	ts, err := e.catalog(ctx, q, nil)
	if err != nil {
		return err
	}
	held, err := e.d.HoldingRows(ctx, q, ts)
	if err != nil {
		return fmt.Errorf("runner: data-loss guard: %w", err)
	}
	e.held = held
	return nil
}

// catalog reads the tables of ids (all when nil), strata's own left out.
func (e *effect) catalog(ctx context.Context, q dialect.Querier, ids []string) ([]dialect.GuardTable, error) {
	ts, err := e.d.GuardCatalog(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("runner: data-loss guard: %w", err)
	}
	internal := e.r.internalTables()
	return slices.DeleteFunc(ts, func(t dialect.GuardTable) bool {
		return slices.Contains(internal, t.Name) || strings.HasPrefix(t.Name, "_strata_")
	}), nil
}

func (e *effect) heldIDs() []string {
	ids := make([]string, 0, len(e.held))
	for id := range e.held {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// mark is the state before a revision.
type mark struct {
	written int64
	before  []dialect.GuardTable
	// savepoint says the savepoint is set.
	savepoint bool
}

const guardSavepoint = "strata_guard"

// mark reads the state before a revision, in its transaction q, and sets
// the savepoint the revision returns to when it has to be judged.
func (e *effect) mark(ctx context.Context, q dialect.Querier) (*mark, error) {
	m := &mark{}
	var err error
	if m.written, err = e.d.WriteMark(ctx, q); err != nil {
		return nil, fmt.Errorf("runner: data-loss guard: %w", err)
	}
	if len(e.held) == 0 {
		return m, nil
	}
	if m.before, err = e.catalog(ctx, q, e.heldIDs()); err != nil {
		return nil, err
	}
	if len(m.before) == 0 {
		return m, nil
	}
	if _, err := q.ExecContext(ctx, "SAVEPOINT "+guardSavepoint); err != nil {
		return nil, fmt.Errorf("runner: data-loss guard: savepoint: %w", err)
	}
	m.savepoint = true
	return m, nil
}

// touch is a table that held rows before a revision and that the
// revision changed, as the revision left it.
type touch struct {
	before dialect.GuardTable
	// after is the same table (same identity) after the revision; nil
	// when it vanished.
	after *dialect.GuardTable
	// emptied says it holds no row after the revision.
	emptied bool
}

// touched returns the tables of before that vanished, were renamed, had
// their rows replaced (TRUNCATE, a rewrite), or whose columns changed, as
// the catalog reads now; and, of those rows were written into (wrote,
// nil for all), the ones that hold no row any more.
func (e *effect) touched(ctx context.Context, q dialect.Querier, before []dialect.GuardTable, wrote map[string]bool) ([]touch, error) {
	if len(before) == 0 {
		return nil, nil
	}
	ids := make([]string, len(before))
	for i, t := range before {
		ids[i] = t.ID
	}
	after, err := e.catalog(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	now := map[string]*dialect.GuardTable{}
	for i := range after {
		now[after[i].ID] = &after[i]
	}
	var probe []dialect.GuardTable
	for _, t := range after {
		if wrote == nil || wrote[t.ID] || t.Reusable {
			probe = append(probe, t)
		}
	}
	held := map[string]bool{}
	if len(probe) > 0 {
		if held, err = e.d.HoldingRows(ctx, q, probe); err != nil {
			return nil, fmt.Errorf("runner: data-loss guard: %w", err)
		}
	}
	var out []touch
	for _, t := range before {
		n := now[t.ID]
		emptied := n != nil && (wrote == nil || wrote[t.ID] || t.Reusable) && !held[t.ID]
		if n == nil || n.Name != t.Name || n.Storage != t.Storage || emptied || !slices.Equal(n.Columns, t.Columns) {
			out = append(out, touch{before: t, after: n, emptied: emptied})
		}
	}
	return out, nil
}

// check judges a revision whose statements have run in q, its
// transaction, from m, the state before. It returns the losses; after a
// revision that changed tables holding rows, the revision has run again
// statement by statement through run. Without losses, the tables that
// hold rows are read again when the revision may have filled some.
func (e *effect) check(ctx context.Context, q dialect.Querier, rev *revision.Revision, stmts []revision.Statement, m *mark, run func(revision.Statement) error) ([]Loss, error) {
	ids, all, err := e.d.Written(ctx, q, m.written)
	if err != nil {
		return nil, fmt.Errorf("runner: data-loss guard: %w", err)
	}
	var wrote map[string]bool // nil: any table
	if !all {
		wrote = map[string]bool{}
		for _, id := range ids {
			wrote[id] = true
		}
	}
	touched, err := e.touched(ctx, q, m.before, wrote)
	if err != nil {
		return nil, err
	}
	var lost []Loss
	if len(touched) > 0 {
		final, err := e.catalog(ctx, q, nil)
		if err != nil {
			return nil, err
		}
		if _, err := q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+guardSavepoint); err != nil {
			return nil, fmt.Errorf("runner: data-loss guard: roll back to savepoint: %w", err)
		}
		if lost, err = e.judge(ctx, q, rev, stmts, m.before, touched, final, run); err != nil {
			return nil, err
		}
	}
	if m.savepoint {
		if _, err := q.ExecContext(ctx, "RELEASE SAVEPOINT "+guardSavepoint); err != nil {
			return nil, fmt.Errorf("runner: data-loss guard: release savepoint: %w", err)
		}
	}
	if len(lost) > 0 {
		return lost, nil
	}
	switch {
	case all || len(touched) > 0:
		return nil, e.refresh(ctx, q)
	case len(wrote) > 0:
		// Tables that may have been filled: ask those not known to hold
		// rows.
		var fresh []string
		for id := range wrote {
			if !e.held[id] && !e.ignored[id] {
				fresh = append(fresh, id)
			}
		}
		if len(fresh) == 0 {
			return nil, nil
		}
		slices.Sort(fresh)
		ts, err := e.catalog(ctx, q, fresh)
		if err != nil {
			return nil, err
		}
		for _, id := range fresh {
			if !slices.ContainsFunc(ts, func(t dialect.GuardTable) bool { return t.ID == id }) {
				e.ignored[id] = true
			}
		}
		held, err := e.d.HoldingRows(ctx, q, ts)
		if err != nil {
			return nil, fmt.Errorf("runner: data-loss guard: %w", err)
		}
		for id := range held {
			e.held[id] = true
		}
	}
	return nil, nil
}

// successor finds what became of table t in final, the tables after a
// revision: the table under t's name (preferring t itself), as a rebuild
// or a drop and create leaves it; else t renamed; else, where neither
// holds (a table renamed and rebuilt in one revision, on a database whose
// identity does not survive a rebuild), the one table of final that is
// new (none of before, the tables that held rows) and shares the most
// of t's column names; else nil. The values of a successor
// are compared, never assumed, so a wrong guess can only report a loss,
// not hide one.
func successor(t dialect.GuardTable, final, before []dialect.GuardTable) *dialect.GuardTable {
	var found *dialect.GuardTable
	for i := range final {
		if final[i].Name == t.Name && (found == nil || final[i].ID == t.ID) {
			found = &final[i]
		}
	}
	if found != nil {
		return found
	}
	for i := range final {
		if final[i].ID == t.ID {
			return &final[i]
		}
	}
	shared, tie := 0, false
	for i, f := range final {
		// A table that held rows before is no successor of another (where
		// an identity may pass to a new table, SQLite's, the name says).
		if slices.ContainsFunc(before, func(b dialect.GuardTable) bool { return b.Name == f.Name || !b.Reusable && b.ID == f.ID }) {
			continue
		}
		n := 0
		for _, c := range t.Columns {
			if slices.ContainsFunc(f.Columns, func(fc dialect.GuardColumn) bool { return fc.Name == c.Name }) {
				n++
			}
		}
		switch {
		case n > shared:
			found, shared, tie = &final[i], n, false
		case n == shared && n > 0:
			tie = true
		}
	}
	if tie {
		return nil // two new tables could be it: judge none
	}
	return found
}

// column finds what became of column c of table t in s, t's successor:
// by identity when s is t, else by name. Where the identity is the name
// (SQLite), a renamed column is not found so: the columns of t and of s
// that found no partner are paired in order when there are as many on
// each side, and the values of such a pair are compared, never assumed.
func column(t dialect.GuardTable, c dialect.GuardColumn, s *dialect.GuardTable) *dialect.GuardColumn {
	has := func(cs []dialect.GuardColumn, id string) bool {
		return slices.ContainsFunc(cs, func(c dialect.GuardColumn) bool { return c.ID == id })
	}
	// same tells whether a, a column of t, is b, a column of s. Where an
	// identity holds a position (SQLite), dropping a column moves the
	// ones after it: a column whose identity neither side keeps is then
	// found by its name, and its values are compared (never inPlace).
	same := func(a, b dialect.GuardColumn) bool {
		if s.ID == t.ID {
			return a.ID == b.ID || a.Name == b.Name && !has(s.Columns, a.ID) && !has(t.Columns, b.ID)
		}
		return a.Name == b.Name
	}
	for i := range s.Columns {
		if same(c, s.Columns[i]) {
			return &s.Columns[i]
		}
	}
	var lone []int
	for i, nc := range s.Columns {
		if !slices.ContainsFunc(t.Columns, func(oc dialect.GuardColumn) bool { return same(oc, nc) }) {
			lone = append(lone, i)
		}
	}
	k := 0
	for _, oc := range t.Columns {
		if slices.ContainsFunc(s.Columns, func(nc dialect.GuardColumn) bool { return same(oc, nc) }) {
			continue
		}
		if oc == c {
			break
		}
		k++
	}
	n := 0
	for _, oc := range t.Columns {
		if !slices.ContainsFunc(s.Columns, func(nc dialect.GuardColumn) bool { return same(oc, nc) }) {
			n++
		}
	}
	if n == len(lone) && k < len(lone) {
		return &s.Columns[lone[k]]
	}
	return nil
}

// inPlace tells whether column c of table t stands as it was in s: the
// same table, the same column, the same type.
func inPlace(t dialect.GuardTable, c dialect.GuardColumn, s *dialect.GuardTable, nc *dialect.GuardColumn) bool {
	return s.ID == t.ID && nc.ID == c.ID && nc.Type == c.Type
}

// kept is what a table held before a revision.
type kept struct {
	touch
	rows    int64
	columns []keptColumn
	// gone notes the statement after which the table vanished, changed
	// each column's (by identity) first change, vanished the columns
	// whose first change was to vanish.
	gone     int
	changed  map[string]int
	vanished map[string]bool
}

// keptColumn is a column's non-NULL values before the revision: how
// many, one of them, and, when they must be compared with what the
// revision left, a scratch table holding them all.
type keptColumn struct {
	col     dialect.GuardColumn
	values  int64
	example string
	scratch string
}

// judge reads what touched held (the revision rolled back to before it),
// runs the revision again statement by statement, and compares. final is
// the catalog as the revision's first run left it, which says which
// columns need their values copied aside: those of a table rebuilt under
// its name, and those whose type changed.
func (e *effect) judge(ctx context.Context, q dialect.Querier, rev *revision.Revision, stmts []revision.Statement, before []dialect.GuardTable, touched []touch, final []dialect.GuardTable, run func(revision.Statement) error) (lost []Loss, err error) {
	quote := e.r.Dialect.QuoteIdent
	var keep []*kept
	var scratches []string
	defer func() {
		for _, s := range scratches {
			if _, derr := q.ExecContext(ctx, "DROP TABLE "+s); derr != nil && err == nil {
				err = fmt.Errorf("runner: data-loss guard: drop %s: %w", s, derr)
			}
		}
	}()
	for _, tc := range touched {
		t := tc.before
		k := &kept{touch: tc, gone: -1, changed: map[string]int{}, vanished: map[string]bool{}}
		// One scan: the rows, and each column's values and one of them;
		// of a table that stays in place, only the columns that changed,
		// and its rows only when it was emptied.
		succ := successor(t, final, before)
		stays := succ != nil && succ.ID == t.ID && !t.Reusable
		var parts []string
		var dest []any
		if !stays || tc.emptied {
			parts, dest = append(parts, "COUNT(*)"), append(dest, &k.rows)
		}
		examples := make([]sql.NullString, len(t.Columns))
		k.columns = make([]keptColumn, len(t.Columns))
		for i, c := range t.Columns {
			k.columns[i].col = c
			if stays {
				if nc := column(t, c, succ); nc != nil && inPlace(t, c, succ, nc) {
					continue
				}
			}
			parts = append(parts, "COUNT("+quote(c.Name)+")", "MIN("+e.d.GuardValue(quote(c.Name), c.Type)+")")
			dest = append(dest, &k.columns[i].values, &examples[i])
		}
		if len(parts) > 0 {
			if err := e.scan(ctx, q, "SELECT "+strings.Join(parts, ", ")+" FROM "+t.SQL, dest...); err != nil {
				return nil, err
			}
		}
		for i := range k.columns {
			kc := &k.columns[i]
			kc.example = oneLine(examples[i].String, 80)
			if kc.values == 0 || succ == nil {
				continue
			}
			if nc := column(t, kc.col, succ); nc == nil || stays && inPlace(t, kc.col, succ, nc) {
				continue // gone, or kept in place as it was
			}
			kc.scratch = quote(fmt.Sprintf("_strata_guard_%d", len(scratches)))
			value := e.d.GuardValue(quote(kc.col.Name), kc.col.Type)
			if _, err := q.ExecContext(ctx, fmt.Sprintf("CREATE TEMPORARY TABLE %s AS SELECT %s AS v FROM %s WHERE %s IS NOT NULL", kc.scratch, value, t.SQL, quote(kc.col.Name))); err != nil {
				return nil, fmt.Errorf("runner: data-loss guard: keep the values of %s.%s: %w", t.Name, kc.col.Name, err)
			}
			scratches = append(scratches, kc.scratch)
		}
		keep = append(keep, k)
	}
	ids := make([]string, len(touched))
	for i, tc := range touched {
		ids[i] = tc.before.ID
	}
	for i, s := range stmts {
		if err := run(s); err != nil {
			return nil, err
		}
		now, err := e.catalog(ctx, q, ids)
		if err != nil {
			return nil, err
		}
		byID := map[string]dialect.GuardTable{}
		for _, t := range now {
			byID[t.ID] = t
		}
		for _, k := range keep {
			n, ok := byID[k.before.ID]
			if !ok {
				if k.gone < 0 {
					k.gone = i
				}
				continue
			}
			for _, c := range k.before.Columns {
				j := slices.IndexFunc(n.Columns, func(nc dialect.GuardColumn) bool { return nc.ID == c.ID })
				if _, seen := k.changed[c.ID]; !seen && (j < 0 || n.Columns[j] != c) {
					k.changed[c.ID] = i
					k.vanished[c.ID] = j < 0
				}
			}
		}
	}
	if final, err = e.catalog(ctx, q, nil); err != nil {
		return nil, err
	}
	last := len(stmts) - 1
	at := func(i int) revision.Statement {
		if i < 0 || i > last {
			i = last
		}
		if i < 0 {
			return revision.Statement{}
		}
		return stmts[i]
	}
	for _, k := range keep {
		t := k.before
		now := successor(t, final, before)
		if now == nil {
			// Columns holding values dropped before their table are
			// losses of their own.
			for _, kc := range k.columns {
				if i, ok := k.changed[kc.col.ID]; ok && kc.values > 0 && k.vanished[kc.col.ID] && (k.gone < 0 || i < k.gone) {
					lost = append(lost, Loss{Revision: rev, Statement: at(i), Table: t.Name, Column: kc.col.Name, Rows: kc.values, Example: kc.example})
				}
			}
			if k.rows > 0 {
				lost = append(lost, Loss{Revision: rev, Statement: at(k.gone), Table: t.Name, Rows: k.rows})
			}
			continue
		}
		if k.rows > 0 {
			held, err := e.d.HoldingRows(ctx, q, []dialect.GuardTable{*now})
			if err != nil {
				return nil, fmt.Errorf("runner: data-loss guard: %w", err)
			}
			k.emptied = !held[now.ID]
		}
		if k.emptied && k.rows > 0 {
			lost = append(lost, Loss{Revision: rev, Statement: at(k.gone), Table: t.Name, Rows: k.rows, Change: "empties"})
			continue
		}
		for _, kc := range k.columns {
			if kc.values == 0 {
				continue
			}
			c := kc.col
			stmt := at(k.gone)
			if i, ok := k.changed[c.ID]; ok {
				stmt = at(i)
			}
			nc := column(t, c, now)
			if nc == nil {
				lost = append(lost, Loss{Revision: rev, Statement: stmt, Table: t.Name, Column: c.Name, Rows: kc.values, Example: kc.example})
				continue
			}
			if inPlace(t, c, now, nc) && !t.Reusable {
				continue // in place, its type unchanged: its values stand
			}
			n, example, err := e.missing(ctx, q, kc, now.SQL, quote(nc.Name))
			if err != nil {
				return nil, err
			}
			if n > 0 {
				change := "changes values of"
				if nc.Type != c.Type {
					change = fmt.Sprintf("changes the type (%s to %s) of", c.Type, nc.Type)
				}
				lost = append(lost, Loss{Revision: rev, Statement: stmt, Table: t.Name, Column: c.Name, Rows: n, Change: change, Example: example})
			}
		}
	}
	return lost, nil
}

// missing counts the values of kc that column of table no longer holds,
// read as the column's old type, and returns one. Without a copy of the
// values (the revision did not do the second time what it did the first),
// it compares how many there are. A value that cannot be read as the old
// type any more counts as missing.
func (e *effect) missing(ctx context.Context, q dialect.Querier, kc keptColumn, table, column string) (int64, string, error) {
	if kc.scratch == "" {
		var n int64
		if err := e.scan(ctx, q, "SELECT COUNT("+column+") FROM "+table, &n); err != nil {
			return 0, "", err
		}
		if n >= kc.values {
			return 0, "", nil
		}
		return kc.values - n, kc.example, nil
	}
	// A multiset difference (SQLite has no EXCEPT ALL): each value kept,
	// with how many times it is missing now.
	value := e.d.GuardValue(column, kc.col.Type)
	query := fmt.Sprintf("SELECT COALESCE(SUM(b.n - COALESCE(a.n, 0)), 0), MIN(b.v) FROM (SELECT v, COUNT(*) AS n FROM %s GROUP BY v) AS b"+
		" LEFT JOIN (SELECT %s AS v, COUNT(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY %s) AS a ON a.v = b.v WHERE b.n > COALESCE(a.n, 0)",
		kc.scratch, value, table, column, value)
	if _, err := q.ExecContext(ctx, "SAVEPOINT strata_guard_compare"); err != nil {
		return 0, "", fmt.Errorf("runner: data-loss guard: savepoint: %w", err)
	}
	var n int64
	var example sql.NullString
	if err := e.scan(ctx, q, query, &n, &example); err != nil {
		// The values no longer convert to the column's old type: all of
		// them count as changed.
		if _, rerr := q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT strata_guard_compare"); rerr != nil {
			return 0, "", fmt.Errorf("runner: data-loss guard: roll back to savepoint: %w", rerr)
		}
		n, example = kc.values, sql.NullString{String: kc.example, Valid: true}
	}
	if _, err := q.ExecContext(ctx, "RELEASE SAVEPOINT strata_guard_compare"); err != nil {
		return 0, "", fmt.Errorf("runner: data-loss guard: release savepoint: %w", err)
	}
	return n, oneLine(example.String, 80), nil
}

// scan runs query and scans its one row into dest.
func (e *effect) scan(ctx context.Context, q dialect.Querier, query string, dest ...any) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("runner: data-loss guard: %s: %w", oneLine(query, 80), err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("runner: data-loss guard: %s: %w", oneLine(query, 80), err)
		}
	}
	return rows.Err()
}
