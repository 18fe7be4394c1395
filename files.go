package strata

import (
	"log/slog"

	"github.com/strata-go/strata/revision"
)

// ReadRevisions reads the revision graph without a database: the SQL
// files of the migrations directory (WithDir, WithFS) and the Go
// migrations the binary holds, as a Migrator would link them. It is for
// tools that must not connect, such as shell completion; with
// WithGoFromSource the Go revisions the binary lacks are read from their
// source. A SQL file is split as the database its header names reads it,
// else as WithDialect's would, else neutrally.
func ReadRevisions(opts ...Option) (*revision.Graph, error) {
	m := &Migrator{}
	for _, o := range opts {
		if err := o.apply(&m.cfg); err != nil {
			return nil, err
		}
	}
	if m.cfg.fsys == nil {
		if err := WithDir("migrations").apply(&m.cfg); err != nil {
			return nil, err
		}
	}
	if m.cfg.logger == nil {
		m.cfg.logger = slog.New(slog.DiscardHandler)
	}
	m.dialect = m.cfg.dialect
	g, _, err := m.loadRevisions()
	return g, err
}

// dialectName is the dialect's name, "" for a Migrator without a
// database (ReadRevisions).
func (m *Migrator) dialectName() string {
	if m.dialect == nil {
		return ""
	}
	return m.dialect.Name()
}
