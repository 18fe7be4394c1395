package cli

import (
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
	cfg, err := f.loadConfig()
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
