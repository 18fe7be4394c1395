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
)

// scratch makes an empty database of the Migrator's dialect for
// rehearsals: a temporary file for SQLite, else a temporary database on
// the dev server (WithDevURL) or the target's own server. drop removes it.
func (m *Migrator) scratch(ctx context.Context) (scratchURL string, drop func() error, err error) {
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
	server := m.cfg.devURL
	if server == "" {
		server = m.url
	}
	if server == "" {
		return "", nil, errors.New("strata: a scratch database needs a server URL: open the Migrator with strata.Open, or pass strata.WithDevURL")
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
		return "", nil, fmt.Errorf("strata: create scratch database %s on %s: %w", name, Redact(server), err)
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
