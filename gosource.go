package strata

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// WithGoFromSource links the Go revisions of the migrations directory on
// disk that the binary was built without into the graph, read from their
// source (the strata.Migration literals: Revision, Parents, Message,
// BranchLabels, NoTransaction), instead of stopping with an
// *UnbuiltError. heads, history, current, revision and merge then see
// every revision of the directory; a run whose plan holds one of them
// stops before anything runs with a *runner.GoSourceError naming its file
// and line, since only the application's binary can run it.
//
// It is for a binary that can never hold the application's Go revisions,
// as the standalone strata binary (cli.Standalone); an application binary
// should be rebuilt instead, and is told so without it.
func WithGoFromSource() Option {
	return optionFunc(func(c *config) error { c.goFromSource = true; return nil })
}

// goFromSource turns the *UnbuiltError of checkBuilt into the revisions
// the Go files declare, under WithGoFromSource, keeping stamps, the Go
// files' stamps checkBuilt took; any other error, or without the option,
// it returns as is.
func (m *Migrator) goFromSource(stamps []revision.Stamp, err error) ([]revision.Stamp, []*revision.Revision, error) {
	var ue *UnbuiltError
	if !m.cfg.goFromSource || !errors.As(err, &ue) {
		return nil, nil, err
	}
	unbuilt := map[string]bool{}
	for _, d := range ue.Revisions {
		unbuilt[d.ID] = true
	}
	// stamps were taken before the headers are read, so that a file
	// changed meanwhile is read again next time.
	headers, err := revision.ReadGoHeaders(m.cfg.fsys)
	if err != nil {
		return nil, nil, fmt.Errorf("strata: %s: %w", m.cfg.dir, err)
	}
	var revs []*revision.Revision
	for _, h := range headers {
		if !unbuilt[h.ID] {
			continue // built in: the binary's own wins
		}
		where := fmt.Sprintf("%s:%d", filepath.Join(m.cfg.dir, h.File), h.Line)
		cannot := func(context.Context, revision.Querier, *schema.Schema) ([]op.Op, error) {
			return nil, fmt.Errorf("%s: revision %s is a Go revision, which only the application's binary runs (myapp db upgrade); this binary reads its header only", where, h.ID)
		}
		revs = append(revs, &revision.Revision{
			ID: h.ID, Parents: h.Parents, Message: h.Message, BranchLabels: h.BranchLabels,
			NoTransaction: h.NoTransaction, UpFunc: cannot, DownFunc: cannot, GoSource: where,
		})
	}
	return stamps, revs, nil
}
