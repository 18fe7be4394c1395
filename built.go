package strata

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-go/strata/revision"
)

// UnbuiltError reports Go revisions in the migrations directory on disk
// that the running binary was built without. Go revisions are compiled
// into the application, so a revision written after the build is
// invisible to it: upgrade would find nothing to do and migrate would
// write a second revision after the same parent. Every command that reads
// the revisions, and check, stop with this error instead, unless
// WithGoFromSource reads them from their source.
type UnbuiltError struct {
	// Dir is the migrations directory.
	Dir string
	// Revisions are the revisions its Go files declare that the binary
	// does not hold.
	Revisions []revision.GoDeclaration
	// NoneBuilt tells that the binary holds no Go revision at all: it is
	// the standalone strata binary, or an application that does not
	// import its migrations package.
	NoneBuilt bool
}

func (e *UnbuiltError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "strata: %s holds Go revisions this binary was built without:", e.Dir)
	for _, d := range e.Revisions {
		fmt.Fprintf(&b, "\n  %s:%d: revision %s", filepath.Join(e.Dir, d.File), d.Line, d.ID)
	}
	b.WriteString("\nGo revisions are compiled into the application: rebuild it (go build, or go run again) and run this command with the new binary." +
		"\nUntil then they would be ignored: upgrade would find nothing to do, and migrate would write a duplicate revision.")
	if e.NoneBuilt {
		b.WriteString("\nThis binary holds no Go revision at all. An application sees its Go revisions only when it imports its migrations package" +
			"\n(import _ \"yourmodule/migrations\", or migrations.FS passed to cli.WithFS). The standalone strata binary reads them" +
			"\nfrom their source (strata.WithGoFromSource) and runs SQL revisions only: run Go ones with the application's mounted" +
			"\ncommands (myapp db upgrade).")
	}
	return b.String()
}

// goRevisions returns the Go migrations the Migrator runs: those passed
// with WithMigrations, and the registered ones unless
// WithoutGlobalRegistry.
func (m *Migrator) goRevisions() []Migration {
	gos := m.cfg.migrations
	if !m.cfg.noGlobal {
		gos = append(registered(), gos...)
	}
	return gos
}

// checkBuilt returns an *UnbuiltError when the migrations directory on
// disk has Go files declaring revisions that gos lacks, and the stamps of
// the Go files read, with that error too (goFromSource keeps them rather
// than list the directory again). Revisions read from a file system that
// is not the directory on disk (WithFS, as an embed.FS) are what was
// built, and are not checked; nor is a directory that does not exist.
func (m *Migrator) checkBuilt(gos []Migration) ([]revision.Stamp, error) {
	if !m.cfg.onDisk {
		return nil, nil
	}
	decls, stamps, err := revision.DeclaredInGo(m.cfg.fsys)
	if err != nil {
		if derr := dirError(m.cfg.dir); derr != nil {
			return nil, derr
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	built := map[string]bool{}
	for _, g := range gos {
		built[g.Revision] = true
	}
	e := &UnbuiltError{Dir: m.cfg.dir, NoneBuilt: len(gos) == 0}
	for _, d := range decls {
		if !built[d.ID] {
			e.Revisions = append(e.Revisions, d)
		}
	}
	if len(e.Revisions) > 0 {
		return stamps, e
	}
	return stamps, nil
}

// stampsNow describes the revision files as they are now, Go files of a
// directory on disk included, as loadRevisions stamps them: a Go file
// added since the graph was cached is seen.
// The version paths' files come between, in loadRevisions' order.
func (m *Migrator) stampsNow() ([]revision.Stamp, error) {
	now, err := revision.Stamps(m.cfg.fsys)
	if err != nil {
		return nil, err
	}
	for _, dir := range m.cfg.versionPaths {
		st, err := revision.Stamps(os.DirFS(dir))
		if err != nil {
			return nil, err
		}
		now = append(now, prefixStamps(dir, st)...)
	}
	if !m.cfg.onDisk {
		return now, nil
	}
	gos, err := revision.GoStamps(m.cfg.fsys)
	return append(now, gos...), err
}
