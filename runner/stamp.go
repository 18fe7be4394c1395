package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
)

// ChecksumMismatchError reports applied revision files that were edited
// after they ran.
type ChecksumMismatchError struct {
	Mismatches []Mismatch
}

// Mismatch is one edited revision: the checksum recorded when it ran (Want)
// and the file's now (Got).
type Mismatch struct {
	Revision, Path, Want, Got string
}

func (e *ChecksumMismatchError) Error() string {
	var b strings.Builder
	b.WriteString("runner: applied revision files were edited after they ran:")
	var ids []string
	for _, m := range e.Mismatches {
		fmt.Fprintf(&b, "\n  %s (%s): recorded checksum %.12s…, file now %.12s…", m.Path, m.Revision, m.Want, m.Got)
		ids = append(ids, m.Revision)
	}
	fmt.Fprintf(&b, "\n  An edit to an applied revision never reaches this database. Undo the edit and put the change in a new revision,"+
		"\n  or, if the edit changes nothing that ran (a comment, formatting), accept it with `strata repair %s`.", strings.Join(ids, " "))
	return b.String()
}

// verify checks the applied SQL revisions' files against the checksums
// recorded when they ran.
func (r *Runner) verify(rows []Applied) error {
	var bad []Mismatch
	for _, a := range rows {
		rev, ok := r.Graph.Get(a.Revision)
		if !ok || rev.IsGo() || a.Checksum == "" || a.Checksum == rev.Checksum {
			continue
		}
		bad = append(bad, Mismatch{Revision: rev.ID, Path: rev.Path, Want: a.Checksum, Got: rev.Checksum})
	}
	if len(bad) > 0 {
		return &ChecksumMismatchError{Mismatches: bad}
	}
	return nil
}

// Repair accepts edits to applied revision files by recording their
// checksums as they are now: the revisions named, or every edited one when
// none is named. With reset, it instead forgets the recorded progress of
// revisions that stopped half-way (after their statements were undone by
// hand). It returns the revisions it changed.
func (r *Runner) Repair(ctx context.Context, ids []string, reset bool) ([]string, error) {
	var changed []string
	err := r.locked(ctx, func(q dialect.Querier, rows []Applied) error {
		if reset {
			if len(ids) == 0 {
				return errors.New("runner: repair --reset needs the revision(s) to reset")
			}
			if err := r.ensureProgress(ctx, q); err != nil {
				return err
			}
			for _, ref := range ids {
				rev, err := r.Graph.Resolve(ref)
				if err != nil {
					return err
				}
				if err := r.endProgress(ctx, q, rev.ID); err != nil {
					return err
				}
				changed = append(changed, rev.ID)
			}
			return nil
		}
		var want []string
		for _, ref := range ids {
			rev, err := r.Graph.Resolve(ref)
			if err != nil {
				return err
			}
			want = append(want, rev.ID)
		}
		for _, a := range rows {
			rev, ok := r.Graph.Get(a.Revision)
			if !ok || rev.IsGo() || a.Checksum == rev.Checksum || len(want) > 0 && !slices.Contains(want, rev.ID) {
				continue
			}
			if _, err := q.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET checksum = '%s' WHERE revision = '%s'",
				r.Dialect.QuoteIdent(r.table()), rev.Checksum, rev.ID)); err != nil {
				return fmt.Errorf("runner: repair %s: %w", rev.ID, err)
			}
			changed = append(changed, rev.ID)
		}
		return nil
	})
	return changed, err
}

// Stamp records the database as being at target without running any
// revision: the revisions target needs are recorded as applied, the others
// forgotten. With purge, the version table is emptied first, including
// revisions the directory does not know.
func (r *Runner) Stamp(ctx context.Context, target string, purge bool) (added, removed []string, err error) {
	err = r.locked(ctx, func(q dialect.Querier, rows []Applied) error {
		if purge {
			if _, err := q.ExecContext(ctx, "DELETE FROM "+r.Dialect.QuoteIdent(r.table())); err != nil {
				return fmt.Errorf("runner: stamp --purge: %w", err)
			}
			rows = nil
		}
		applied, err := r.AppliedSet(rows)
		if err != nil {
			return err
		}
		goal, err := r.needs(target)
		if err != nil {
			return err
		}
		for _, rev := range r.Graph.Revisions() {
			switch {
			case goal[rev.ID] && !applied[rev.ID]:
				if _, err := q.ExecContext(ctx, r.Dialect.InsertVersion(r.table(), rev.ID, rev.Checksum, 0)); err != nil {
					return fmt.Errorf("runner: stamp %s: %w", rev.ID, err)
				}
				added = append(added, rev.ID)
			case !goal[rev.ID] && applied[rev.ID]:
				if _, err := q.ExecContext(ctx, r.Dialect.DeleteVersion(r.table(), rev.ID)); err != nil {
					return fmt.Errorf("runner: stamp %s: %w", rev.ID, err)
				}
				removed = append(removed, rev.ID)
			}
		}
		return nil
	})
	return added, removed, err
}

// locked runs fn under the lock, in a transaction where DDL is
// transactional, with the version table's rows.
func (r *Runner) locked(ctx context.Context, fn func(q dialect.Querier, rows []Applied) error) (err error) {
	conn, unlock, err := r.lock(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	if _, err := r.applied(ctx, conn); err != nil {
		return err
	}
	var q dialect.Querier = conn
	if r.Dialect.Capabilities().TransactionalDDL {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("runner: begin: %w", err)
		}
		defer tx.Rollback()
		rows, err := r.applied(ctx, tx)
		if err != nil {
			return err
		}
		if err := fn(tx, rows); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("runner: commit: %w", err)
		}
		return nil
	}
	rows, err := r.applied(ctx, q)
	if err != nil {
		return err
	}
	return fn(q, rows)
}

// needs returns the ids of the revisions a database at target has
// applied: target's and its ancestors', none for base.
func (r *Runner) needs(target string) (map[string]bool, error) {
	ids := map[string]bool{}
	if target == "base" {
		return ids, nil
	}
	plan, err := r.Graph.UpgradePlan(map[string]bool{}, target)
	if err != nil {
		return nil, err
	}
	for _, rev := range plan {
		ids[rev.ID] = true
	}
	return ids, nil
}
