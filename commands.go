package strata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/runner"
)

// UpgradeSQL writes the SQL that upgrade would run from from (a revision
// target, or "" / "base") to target, version-table statements included,
// without touching the database.
func (m *Migrator) UpgradeSQL(ctx context.Context, w io.Writer, from, target string) error {
	r, err := m.runner()
	if err != nil {
		return err
	}
	return r.Script(ctx, w, runner.Up, nonEmpty(from), target)
}

// DowngradeSQL writes the SQL that downgrade would run from from (a
// revision target the database is at) down to target, without touching
// the database.
func (m *Migrator) DowngradeSQL(ctx context.Context, w io.Writer, from, target string) error {
	if from == "" {
		return errors.New("strata: downgrade --sql needs the starting point: TO:FROM, such as base:head")
	}
	r, err := m.runner()
	if err != nil {
		return err
	}
	return r.Script(ctx, w, runner.Down, nonEmpty(from), target)
}

func nonEmpty(s string) []string {
	if s == "" || s == "base" {
		return nil
	}
	return []string{s}
}

// Stamp records the database as being at target without running
// anything; with purge the version table is emptied first.
func (m *Migrator) Stamp(ctx context.Context, target string, purge bool) (added, removed []string, err error) {
	r, err := m.runner()
	if err != nil {
		return nil, nil, err
	}
	return r.Stamp(ctx, target, purge)
}

// Repair accepts edits to applied revision files (all edited ones when ids
// is empty); with reset it forgets the progress of revisions that stopped
// half-way on a database without transactional DDL.
func (m *Migrator) Repair(ctx context.Context, ids []string, reset bool) ([]string, error) {
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	return r.Repair(ctx, ids, reset)
}

// NewRevision writes an empty SQL revision after the current head (or
// after parents, when given), for changes written by hand.
func (m *Migrator) NewRevision(message string, parents ...string) (*revision.Revision, error) {
	return m.newRevision(false, message, parents)
}

// NewGoRevision writes an empty Go migration after the current head (or
// after parents) into the migrations package, to be compiled into the
// application.
func (m *Migrator) NewGoRevision(message string, parents ...string) (*revision.Revision, error) {
	return m.newRevision(true, message, parents)
}

func (m *Migrator) newRevision(goForm bool, message string, parents []string) (*revision.Revision, error) {
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	if len(parents) == 0 {
		parents = g.Heads()
		if len(parents) > 1 {
			return nil, &revision.MultipleHeadsError{Heads: parents}
		}
	} else {
		for i, p := range parents {
			r, err := g.Resolve(p)
			if err != nil {
				return nil, err
			}
			parents[i] = r.ID
		}
	}
	rev := &revision.Revision{Parents: parents, Message: message}
	if goForm {
		return m.writeGo(g, rev)
	}
	return m.write(g, rev)
}

func (m *Migrator) writeGo(g *revision.Graph, rev *revision.Revision) (*revision.Revision, error) {
	if m.cfg.dir == "" {
		return nil, errors.New("strata: writing a revision needs the migrations directory; set it with strata.WithDir")
	}
	var taken []string
	for _, r := range g.Revisions() {
		taken = append(taken, r.ID)
	}
	rev.ID = revision.NewID(time.Now(), taken)
	if _, err := revision.WriteGo(m.cfg.dir, filepath.Base(m.cfg.dir), rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// Merge writes an empty revision whose parents are the given heads (all
// heads when refs is empty or "heads"), joining branches into one.
func (m *Migrator) Merge(message string, refs ...string) (*revision.Revision, error) {
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	var parents []string
	if len(refs) == 0 || len(refs) == 1 && refs[0] == "heads" {
		parents = g.Heads()
	} else {
		for _, ref := range refs {
			r, err := g.Resolve(ref)
			if err != nil {
				return nil, err
			}
			parents = append(parents, r.ID)
		}
	}
	if len(parents) < 2 {
		return nil, fmt.Errorf("strata: merge needs two or more heads; the graph has %v", parents)
	}
	if message == "" {
		message = "merge"
	}
	return m.write(g, &revision.Revision{Parents: parents, Message: message})
}

func (m *Migrator) write(g *revision.Graph, rev *revision.Revision) (*revision.Revision, error) {
	if m.cfg.dir == "" {
		return nil, errors.New("strata: writing a revision needs the migrations directory; set it with strata.WithDir")
	}
	var taken []string
	for _, r := range g.Revisions() {
		taken = append(taken, r.ID)
	}
	rev.ID = revision.NewID(time.Now(), taken)
	if _, err := revision.Write(m.cfg.dir, rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// Rehearse runs the plan for target (upgrade when dir is runner.Up) on the
// real database inside a transaction and rolls it back, reporting each
// statement's outcome; where DDL commits at once it runs nothing and says
// so. The database is left unchanged either way.
func (m *Migrator) Rehearse(ctx context.Context, dir runner.Direction, target string) (*runner.Rehearsal, error) {
	r, err := m.runner()
	if err != nil {
		return nil, err
	}
	return r.Rehearse(ctx, dir, target)
}
