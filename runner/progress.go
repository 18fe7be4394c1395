package runner

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/revision"
)

// Where DDL commits statement by statement (MySQL), or a revision runs
// without a transaction (-- strata:no-transaction), a revision's progress
// is recorded in a small table beside the version table, so that a
// failure half-way can be resumed at the statement that failed, and a
// crash resumed exactly:
//
//   - done counts the statements that completed; chain holds a chained
//     checksum per completed statement, so that a resume refuses a file
//     edited above the point it resumes from;
//   - a statement that commits with a transaction (MySQL's DML, nearly
//     every statement of SQLite and PostgreSQL) runs in
//     one transaction with the update of done, so it applies once;
//   - before any other statement, intent records its index and
//     fingerprint a fingerprint of the schema (dialect.Fingerprinter);
//     after a crash, what the statement left half-made is settled
//     (dialect.Settler: PostgreSQL drops an index a killed CREATE INDEX
//     CONCURRENTLY left invalid), then a fingerprint that changed says the
//     statement ran, one that did not says it did not;
//   - the version row and the deletion of the progress row commit
//     together.
//
// The statements used are plain SQL that every dialect accepts; revision
// ids are checked to hold only letters, digits and _, and the other
// values written are numbers and hex digests.

func (r *Runner) progressTable() string { return r.table() + "_progress" }

// progressColumns are the progress table's columns after the first, in
// the order they were introduced; a table made by an older strata lacks
// the later ones and gets them added (ensureProgress).
var progressColumns = []struct{ name, def string }{
	{"direction", "VARCHAR(8) NOT NULL"},
	{"done", "INTEGER NOT NULL"},
	{"total", "INTEGER"},
	{"chain", "TEXT"},
	{"intent", "INTEGER"},
	{"fingerprint", "VARCHAR(64)"},
}

// ensureProgress creates the progress table, or adds the columns an older
// strata's table lacks, once per Runner.
func (r *Runner) ensureProgress(ctx context.Context, q dialect.Querier) error {
	if r.progressReady.Load() {
		return nil
	}
	table := r.Dialect.QuoteIdent(r.progressTable())
	defs := []string{"revision VARCHAR(64) NOT NULL PRIMARY KEY"}
	for _, c := range progressColumns {
		defs = append(defs, c.name+" "+c.def)
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", table, strings.Join(defs, ", "))); err != nil {
		return fmt.Errorf("runner: create progress table %s: %w", r.progressTable(), err)
	}
	have, err := r.progressColumnNames(ctx, q)
	if err != nil {
		return err
	}
	for _, c := range progressColumns {
		if slices.Contains(have, c.name) {
			continue
		}
		def := strings.TrimSuffix(c.def, " NOT NULL") // added to rows that exist: nullable
		if _, err := q.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", table, c.name, def)); err != nil {
			return fmt.Errorf("runner: add column %s to the progress table %s (made by an older strata): %w", c.name, r.progressTable(), err)
		}
		r.logger().Info("progress table upgraded", "table", r.progressTable(), "column", c.name)
	}
	r.progressReady.Store(true)
	return nil
}

// progressColumnNames lists the progress table's columns, lower-cased; an
// error when the table does not exist.
func (r *Runner) progressColumnNames(ctx context.Context, q dialect.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+r.Dialect.QuoteIdent(r.progressTable())+" WHERE 1 = 0")
	if err != nil {
		return nil, fmt.Errorf("runner: read progress table %s: %w", r.progressTable(), err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("runner: read progress table %s: %w", r.progressTable(), err)
	}
	for i, c := range cols {
		cols[i] = strings.ToLower(c)
	}
	return cols, nil
}

// Progress is a revision that stopped half-way: some of its statements ran
// and committed (their database commits DDL at once, or the revision runs
// without a transaction), the others not.
type Progress struct {
	Revision  string    `json:"revision_id"`
	Direction Direction `json:"direction"`
	// Done counts the statements that completed.
	Done int `json:"done"`
	// Total counts the statements the revision had when it ran; 0 when
	// not recorded (a progress row of an older strata).
	Total int `json:"total"`
	// InFlight tells that statement Done+1 was sent when the run stopped;
	// whether it completed is established from the catalog when the run
	// is resumed.
	InFlight bool `json:"in_flight"`

	chain       []string
	chainKnown  bool
	fingerprint string
}

// Position describes how far the revision got, for messages: "2 of 5
// statements done".
func (p Progress) Position() string {
	total := ""
	if p.Total > 0 {
		total = fmt.Sprintf(" of %d", p.Total)
	}
	s := fmt.Sprintf("%d%s statement(s) done", p.Done, total)
	if p.InFlight {
		s += fmt.Sprintf(", statement %d sent (the next run establishes whether it completed)", p.Done+1)
	}
	return s
}

// HalfDone reads the revisions that stopped half-way. It changes nothing:
// a database without a progress table has none.
func (r *Runner) HalfDone(ctx context.Context) ([]Progress, error) {
	if _, err := r.progressColumnNames(ctx, r.DB); err != nil {
		return nil, nil // no progress table
	}
	return r.readProgress(ctx, r.DB, "")
}

// readProgress reads the progress rows, of one revision when id is not
// empty, whatever columns the table has.
func (r *Runner) readProgress(ctx context.Context, q dialect.Querier, id string) ([]Progress, error) {
	query := "SELECT * FROM " + r.Dialect.QuoteIdent(r.progressTable())
	if id != "" {
		query += fmt.Sprintf(" WHERE revision = '%s'", id)
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("runner: read progress table %s: %w", r.progressTable(), err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("runner: read progress table %s: %w", r.progressTable(), err)
	}
	var out []Progress
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("runner: read progress table %s: %w", r.progressTable(), err)
		}
		var p Progress
		for i, c := range cols {
			v := vals[i]
			switch strings.ToLower(c) {
			case "revision":
				p.Revision = v.String
			case "direction":
				p.Direction = Direction(v.String)
			case "done":
				fmt.Sscan(v.String, &p.Done)
			case "total":
				fmt.Sscan(v.String, &p.Total)
			case "chain":
				p.chainKnown = v.Valid
				if v.String != "" {
					p.chain = strings.Split(v.String, ",")
				}
			case "intent":
				var intent int
				if v.Valid {
					fmt.Sscan(v.String, &intent)
					p.InFlight = intent == p.Done
				}
			case "fingerprint":
				p.fingerprint = v.String
			}
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("runner: read progress table %s: %w", r.progressTable(), err)
	}
	return out, nil
}

// chainOf returns the chained checksums of stmts: each hashes the one
// before it and its statement's text, so the last stands for the whole
// prefix and the first that differs names the first statement edited,
// inserted or removed.
func chainOf(stmts []revision.Statement) []string {
	out := make([]string, len(stmts))
	prev := ""
	for i, s := range stmts {
		h := sha256.New()
		h.Write([]byte(prev))
		h.Write([]byte{0})
		h.Write([]byte(s.SQL))
		prev = hex.EncodeToString(h.Sum(nil))[:12]
		out[i] = prev
	}
	return out
}

// ResumeMismatchError reports a revision that stopped half-way and whose
// statements above the point it would resume from are no longer the ones
// that ran: the file was edited, or a statement inserted or removed.
type ResumeMismatchError struct {
	Revision  *revision.Revision
	Direction Direction
	// Done counts the statements that ran before it stopped.
	Done int
	// Index is the 0-based position of the first statement that differs
	// from what ran; Statement is the file's statement there, empty when
	// the file now has fewer statements.
	Index     int
	Statement revision.Statement
}

func (e *ResumeMismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "runner: revision %s stopped half-way in its %s after %d statement(s), and its file changed above that point:",
		e.Revision.ID, e.Direction.command(), e.Done)
	if e.Statement.SQL == "" {
		fmt.Fprintf(&b, "\n  it now has %d statement(s) there, fewer than ran", e.Index)
	} else {
		fmt.Fprintf(&b, "\n  statement %d at %s is not the one that ran: %s", e.Index+1, e.Revision.Where(e.Statement), oneLine(e.Statement.SQL, 120))
	}
	fmt.Fprintf(&b, "\n  A resume would skip or repeat statements. Restore the file as it was when it ran and run %s again;"+
		"\n  or finish or undo the revision's statements by hand and run `strata repair --reset %s` (then `strata stamp` where it stands).",
		e.Direction.command(), e.Revision.ID)
	return b.String()
}

// HalfDoneError reports a run that cannot start because a revision
// stopped half-way in the other direction.
type HalfDoneError struct {
	Progress Progress
	// Want is the direction the refused run would have taken.
	Want Direction
}

func (e *HalfDoneError) Error() string {
	p := e.Progress
	resume := fmt.Sprintf("`strata upgrade %s`", p.Revision)
	if p.Direction == Down {
		resume = "`strata downgrade` (one step)"
	}
	return fmt.Sprintf("runner: revision %s stopped half-way in its %s (%s), so no %s can start."+
		"\n  Finish it first with %s (it resumes where it stopped);"+
		"\n  or undo its statements by hand and run `strata repair --reset %s`.",
		p.Revision, p.Direction.command(), p.Position(), e.Want.command(), resume, p.Revision)
}

// checkHalfDone refuses a run in dir while a revision stopped half-way in
// the other direction, and records which revisions have a progress row
// (Runner.halfDone). It runs under the run's lock.
func (r *Runner) checkHalfDone(ctx context.Context, q dialect.Querier, dir Direction) error {
	if _, err := r.progressColumnNames(ctx, q); err != nil {
		r.halfDone.Store(&map[string]bool{})
		return nil // no progress table, nothing half-done
	}
	rows, err := r.readProgress(ctx, q, "")
	if err != nil {
		return err
	}
	half := make(map[string]bool, len(rows))
	for _, p := range rows {
		half[p.Revision] = true
	}
	r.halfDone.Store(&half)
	for _, p := range rows {
		if p.Direction != dir {
			return &HalfDoneError{Progress: p, Want: dir}
		}
	}
	return nil
}

// resume returns how many statements of rev already ran in dir, and
// records the start when none did. A revision that stopped half-way is
// checked against what ran (ResumeMismatchError), and a statement that
// was in flight is established from the catalog.
//
// intended is set to 0 when the first statement's intent was recorded with
// the start. note says, for the user, what a crashed run had left: which statements
// had run, and what the catalog showed of the one in flight.
func (r *Runner) resume(ctx context.Context, q dialect.Querier, rev *revision.Revision, dir Direction, stmts []revision.Statement, intended *int) (skip int, note string, err error) {
	if err := r.ensureProgress(ctx, q); err != nil {
		return 0, "", err
	}
	if !revisionIDRE.MatchString(rev.ID) {
		return 0, "", fmt.Errorf("runner: revision id %q: use letters, digits and _ only", rev.ID)
	}
	table := r.Dialect.QuoteIdent(r.progressTable())
	var rows []Progress
	if half := r.halfDone.Load(); half == nil || (*half)[rev.ID] {
		if rows, err = r.readProgress(ctx, q, rev.ID); err != nil {
			return 0, "", fmt.Errorf("runner: read progress of %s: %w", rev.ID, err)
		}
	}
	if len(rows) == 0 {
		// The start, with the intent of the first statement where it is
		// DDL: one write.
		intent, fingerprint, chain := "NULL", "NULL", "''"
		if fp, ok := r.Dialect.(dialect.Fingerprinter); ok && len(stmts) > 0 && !r.transactional(stmts[0].SQL) {
			now, err := fp.Fingerprint(ctx, q, stmts[0].SQL, r.internalTables())
			if err != nil {
				return 0, "", fmt.Errorf("runner: %s %s: %w", dir, rev.ID, err)
			}
			intent, fingerprint, chain = "0", "'"+now+"'", "'"+chainOf(stmts[:1])[0]+"'"
			*intended = 0
		}
		if _, err := q.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (revision, direction, done, total, chain, intent, fingerprint) VALUES ('%s', '%s', 0, %d, %s, %s, %s)",
			table, rev.ID, dir, len(stmts), chain, intent, fingerprint)); err != nil {
			return 0, "", fmt.Errorf("runner: record progress of %s: %w", rev.ID, err)
		}
		return 0, "", nil
	}
	p := rows[0]
	if p.Direction != dir {
		return 0, "", &HalfDoneError{Progress: p, Want: dir}
	}
	chain := chainOf(stmts)
	mismatch := func(upto int) error {
		if !p.chainKnown {
			return nil // a row of an older strata: nothing to compare
		}
		for i := 0; i < upto; i++ {
			if i >= len(stmts) {
				return &ResumeMismatchError{Revision: rev, Direction: dir, Done: p.Done, Index: i}
			}
			if i >= len(p.chain) || p.chain[i] != chain[i] {
				return &ResumeMismatchError{Revision: rev, Direction: dir, Done: p.Done, Index: i, Statement: stmts[i]}
			}
		}
		return nil
	}
	if err := mismatch(p.Done); err != nil {
		return 0, "", err
	}
	if !p.chainKnown {
		r.logger().Warn("resuming a revision recorded by an older strata: the statements that ran cannot be checked against the file", "revision", rev.ID)
	}
	ran := ""
	if p.Done > 0 {
		ran = fmt.Sprintf("statement(s) 1-%d had run before", p.Done)
	}
	if !p.InFlight {
		return p.Done, ran, nil
	}
	inFlight := fmt.Sprintf("statement %d, in flight when the last run stopped", p.Done+1)
	if p.Done < len(stmts) {
		inFlight = fmt.Sprintf("statement %d (%s), in flight when the last run stopped", p.Done+1, rev.Where(stmts[p.Done]))
	}
	if ran != "" {
		ran += "; "
	}
	fp, ok := r.Dialect.(dialect.Fingerprinter)
	if !ok {
		return p.Done, ran + inFlight + ", runs again", r.clearIntent(ctx, q, rev.ID)
	}
	// The fingerprint before the statement covered what that statement
	// could change: it must be the file's statement still, to compare.
	if err := mismatch(p.Done + 1); err != nil {
		return 0, "", err
	}
	if st, ok := r.Dialect.(dialect.Settler); ok {
		// What the statement left half-made goes first, so that the
		// catalog shows it done or not done.
		did, err := st.Settle(ctx, q, stmts[p.Done].SQL)
		if err != nil {
			return 0, "", fmt.Errorf("runner: settle statement %d of %s, in flight when the last run stopped: %w", p.Done+1, rev.ID, err)
		}
		if did != "" {
			r.logger().Info("the statement in flight when the run stopped had left work half-done", "revision", rev.ID, "statement", p.Done+1, "settled", did)
			inFlight += "; " + did
		}
	}
	now, err := fp.Fingerprint(ctx, q, stmts[p.Done].SQL, r.internalTables())
	if err != nil {
		return 0, "", fmt.Errorf("runner: establish whether statement %d of %s ran: %w", p.Done+1, rev.ID, err)
	}
	if now == p.fingerprint {
		r.logger().Info("the statement in flight when the run stopped had not run: the schema is as before it",
			"revision", rev.ID, "statement", p.Done+1)
		return p.Done, ran + inFlight + ", had not run (the schema is as before it): it runs now", r.clearIntent(ctx, q, rev.ID)
	}
	r.logger().Info("the statement in flight when the run stopped had run: the schema changed since it was sent",
		"revision", rev.ID, "statement", p.Done+1)
	if err := r.stepProgress(ctx, q, rev.ID, p.Done+1, chain); err != nil {
		return 0, "", err
	}
	return p.Done + 1, ran + inFlight + ", had run (the schema changed since it was sent)", nil
}

// transactional reports whether the dialect runs statement inside a
// transaction (StatementClassifier); false where it cannot tell.
func (r *Runner) transactional(statement string) bool {
	c, ok := r.Dialect.(dialect.StatementClassifier)
	return ok && c.Transactional(statement)
}

// intend records that statement i of a revision is about to run, with the
// schema's fingerprint before it.
func (r *Runner) intend(ctx context.Context, q dialect.Querier, id string, i int, chain []string, fingerprint string) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET intent = %d, fingerprint = '%s', chain = '%s' WHERE revision = '%s'",
		r.Dialect.QuoteIdent(r.progressTable()), i, fingerprint, strings.Join(chain[:i+1], ","), id))
	if err != nil {
		return fmt.Errorf("runner: record progress of %s: %w", id, err)
	}
	return nil
}

// stepProgressAndIntend records that the first done statements completed
// and that statement done, whose schema fingerprint before it is given, is
// about to run: stepProgress and intend in one write.
func (r *Runner) stepProgressAndIntend(ctx context.Context, q dialect.Querier, id string, done int, chain []string, fingerprint string) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET done = %d, intent = %d, fingerprint = '%s', chain = '%s' WHERE revision = '%s'",
		r.Dialect.QuoteIdent(r.progressTable()), done, done, fingerprint, strings.Join(chain[:done+1], ","), id))
	if err != nil {
		return fmt.Errorf("runner: record progress of %s: %w", id, err)
	}
	return nil
}

func (r *Runner) clearIntent(ctx context.Context, q dialect.Querier, id string) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET intent = NULL, fingerprint = NULL WHERE revision = '%s'",
		r.Dialect.QuoteIdent(r.progressTable()), id))
	if err != nil {
		return fmt.Errorf("runner: record progress of %s: %w", id, err)
	}
	return nil
}

// stepProgress records that the first done statements of a revision
// completed.
func (r *Runner) stepProgress(ctx context.Context, q dialect.Querier, id string, done int, chain []string) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET done = %d, chain = '%s', intent = NULL, fingerprint = NULL WHERE revision = '%s'",
		r.Dialect.QuoteIdent(r.progressTable()), done, strings.Join(chain[:done], ","), id))
	if err != nil {
		return fmt.Errorf("runner: record progress of %s: %w", id, err)
	}
	return nil
}

func (r *Runner) endProgress(ctx context.Context, q dialect.Querier, id string) error {
	_, err := q.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE revision = '%s'", r.Dialect.QuoteIdent(r.progressTable()), id))
	if err != nil {
		return fmt.Errorf("runner: clear progress of %s: %w", id, err)
	}
	return nil
}
