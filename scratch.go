package strata

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/dburl"
)

// scratch makes an empty database of the Migrator's dialect for
// rehearsals: the dev database (WithDevURL), which must be empty and drop
// empties again; else a temporary file for SQLite, or a temporary
// database on the target's own server, which drop removes.
func (m *Migrator) scratch(ctx context.Context) (scratchURL string, drop func() error, err error) {
	if m.cfg.devURL != "" {
		return m.devScratch(ctx)
	}
	if m.dialect.Name() == "sqlite" {
		dir, err := os.MkdirTemp("", "strata-scratch-")
		if err != nil {
			return "", nil, fmt.Errorf("strata: scratch database: %w", err)
		}
		return "sqlite:" + filepath.Join(dir, "scratch.db"), func() error { return os.RemoveAll(dir) }, nil
	}
	sc, ok := m.dialect.(dialect.Scratcher)
	if !ok {
		return "", nil, fmt.Errorf("strata: the %s dialect cannot make scratch databases", m.dialect.Name())
	}
	server := m.url
	if server == "" {
		return "", nil, errors.New("strata: a scratch database needs a server: open the Migrator with strata.Open, or name an empty database with strata.WithDevURL")
	}
	admin, err := OpenDB(server)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "strata_scratch_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, sc.CreateDatabaseSQL(name)); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("strata: create scratch database %s on %s (without the right to create databases, name an empty one with --dev-url, strata.WithDevURL in Go): %w",
			name, Redact(server), dburl.ScrubError(err, server))
	}
	u, err := url.Parse(server)
	if err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("strata: dev URL: %w", err)
	}
	u.Path = "/" + name
	drop = func() error {
		defer admin.Close()
		if _, err := admin.ExecContext(context.WithoutCancel(ctx), sc.DropDatabaseSQL(name)); err != nil {
			return fmt.Errorf("strata: drop scratch database %s: %w", name, err)
		}
		return nil
	}
	return u.String(), drop, nil
}
