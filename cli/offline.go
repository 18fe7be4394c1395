package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
)

// resolveDevURL returns the dev database: --dev-url, else strata.toml's
// dev_url with its ${VAR} and $VAR filled in; "" for none.
func (f *flags) resolveDevURL() (string, error) {
	if f.devURL != "" {
		return f.devURL, nil
	}
	cfg, err := LoadConfig(f.config)
	if err != nil {
		return "", err
	}
	if cfg.DevURL == "" {
		return "", nil
	}
	u, err := strata.ExpandURL(cfg.DevURL)
	if err != nil {
		return "", fmt.Errorf("read %s: dev_url: %w", f.config, err)
	}
	return u, nil
}

// devURLFlag gives cmd, a command that may need a scratch database, the
// --dev-url flag.
func (f *flags) devURLFlag(cmd *cobra.Command, use string) {
	cmd.Flags().StringVar(&f.devURL, "dev-url", "",
		"an empty database to use as the scratch database "+use+" instead of creating one; left empty afterwards (default: strata.toml's dev_url)")
}

// stateOrNote reads where the database stands, for a command that can
// do without (history): a SQLite file that does not exist holds no
// revision, and is not created; a database that cannot be reached gives
// a nil state and a note on standard error naming it, not a failure.
func (f *flags) stateOrNote(cmd *cobra.Command, m *strata.Migrator) (*strata.State, error) {
	if f.created != "" {
		g, err := m.Revisions()
		if err != nil {
			return nil, err
		}
		return &strata.State{Heads: g.Heads()}, nil
	}
	st, err := m.Status(cmd.Context())
	var ce *strata.ConnectError
	if errors.As(err, &ce) {
		fmt.Fprintf(cmd.ErrOrStderr(), "Note: the revisions are shown without what is applied: %s\n", oneLine(err.Error()))
		return nil, nil
	}
	return st, err
}
