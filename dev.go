package strata

import (
	"context"

	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/internal/dburl"
)

// devScratch gives the dev database (WithDevURL) as the scratch database,
// as Atlas's --dev-url does: strata uses it only when it holds nothing,
// so that no one's data is dropped, and drop empties it again, checking
// that nothing is left. One run at a time may use a dev database.
func (m *Migrator) devScratch(ctx context.Context) (scratchURL string, drop func() error, err error) {
	devURL := m.cfg.devURL
	d, err := schemeDialect(devURL)
	if err != nil {
		return "", nil, fmt.Errorf("strata: dev URL: %w", err)
	}
	if d.Name() != m.dialect.Name() {
		return "", nil, fmt.Errorf("strata: the dev database %s is %s, but the database is %s: name a dev database of the same kind",
			Redact(devURL), d.Name(), m.dialect.Name())
	}
	dd, ok := m.dialect.(dialect.DevDatabase)
	if !ok {
		return "", nil, fmt.Errorf("strata: the %s dialect cannot use a dev database", m.dialect.Name())
	}
	db, err := OpenDB(devURL)
	if err != nil {
		return "", nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("strata: dev database: %w", &ConnectError{Database: Redact(devURL), Err: dburl.ScrubError(err, devURL)})
	}
	objects, err := dd.Objects(ctx, db)
	if err != nil {
		db.Close()
		return "", nil, fmt.Errorf("strata: dev database %s: %w", Redact(devURL), err)
	}
	if len(objects) > 0 {
		db.Close()
		return "", nil, fmt.Errorf("strata: the dev database %s is not empty: it holds %s; strata uses a dev database only when it is empty "+
			"(and empties it again afterwards), so that nothing in it is lost: name an empty database", Redact(devURL), list(objects))
	}
	drop = func() error {
		defer db.Close()
		ctx := context.WithoutCancel(ctx)
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("strata: empty the dev database %s: %w", Redact(devURL), err)
		}
		defer conn.Close()
		if err := dd.Clear(ctx, conn); err != nil {
			return fmt.Errorf("strata: empty the dev database %s: %w", Redact(devURL), err)
		}
		left, err := dd.Objects(ctx, conn)
		if err != nil {
			return fmt.Errorf("strata: empty the dev database %s: %w", Redact(devURL), err)
		}
		if len(left) > 0 {
			return fmt.Errorf("strata: empty the dev database %s: %s is left; drop it by hand", Redact(devURL), list(left))
		}
		return nil
	}
	return devURL, drop, nil
}

// list names up to five objects, and how many more there are.
func list(objects []string) string {
	if len(objects) <= 5 {
		return strings.Join(objects, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(objects[:5], ", "), len(objects)-5)
}
