package strata

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-go/strata/revision"
)

// Find returns the revisions ref names, as `show` and `edit` take it:
// "head" (the single head; an error naming them when there are several),
// "heads", "base" (every root), "current" (where the database stands,
// which reads the database; the others read only the revisions), or a
// target Resolve understands (an id or unique prefix, a branch label,
// label@head, REV+N, REV-N).
func (m *Migrator) Find(ctx context.Context, ref string) ([]*revision.Revision, error) {
	if ref == "current" {
		st, err := m.Status(ctx)
		if err != nil {
			return nil, err
		}
		return st.Current, nil
	}
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	var ids []string
	switch ref {
	case "head":
		ids = g.Heads()
		if len(ids) > 1 {
			return nil, &revision.MultipleHeadsError{Heads: ids}
		}
	case "heads":
		ids = g.Heads()
	case "base":
		ids = g.Bases()
	default:
		r, err := g.Resolve(ref)
		if err != nil {
			return nil, err
		}
		return []*revision.Revision{r}, nil
	}
	out := make([]*revision.Revision, 0, len(ids))
	for _, id := range ids {
		r, _ := g.Get(id)
		out = append(out, r)
	}
	return out, nil
}

// RevisionFile returns the path on disk of the file that defines rev: its
// SQL file, or for a Go migration the .go file in the migrations directory
// (or a version path) that registers it. It fails when the revision comes
// from an embedded file system or its file cannot be found.
func (m *Migrator) RevisionFile(rev *revision.Revision) (string, error) {
	if !rev.IsGo() {
		if rev.Dir == "" {
			return "", fmt.Errorf("strata: revision %s was read from a file system compiled into the program, not from a directory on disk; run this where the migrations directory is", rev.ID)
		}
		return filepath.Join(rev.Dir, rev.Path), nil
	}
	// A Go migration knows no file: find the one whose strata.Migration
	// literal declares it, as checkBuilt reads them, else by the name
	// strata gives it and the id it spells.
	for _, dir := range append([]string{m.cfg.dir}, m.cfg.versionPaths...) {
		if dir == "" {
			continue
		}
		if decls, _, err := revision.DeclaredInGo(os.DirFS(dir)); err == nil {
			for _, d := range decls {
				if d.ID == rev.ID {
					return filepath.Join(dir, d.File), nil
				}
			}
		}
		matches, _ := filepath.Glob(filepath.Join(dir, rev.ID+"*.go"))
		for _, p := range matches {
			data, err := os.ReadFile(p)
			if err == nil && strings.Contains(string(data), fmt.Sprintf("%q", rev.ID)) {
				return p, nil
			}
		}
	}
	return "", errors.New("strata: revision " + rev.ID + " is a Go migration whose file is not in the migrations directory: no Go file there declares it in a strata.Migration literal or is named " + rev.ID + "*.go")
}
