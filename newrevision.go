package strata

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/strata-go/strata/revision"
)

// RevisionSpec says where a new revision goes and what its header
// records beyond the message: the flags of `strata revision` and `strata
// migrate` that Alembic's have (--rev-id, --head, --splice,
// --branch-label, --depends-on, --version-path). The zero value writes a
// timestamp id after the single head into the migrations directory.
type RevisionSpec struct {
	// ID is the new revision's id instead of the UTC timestamp: letters,
	// digits and _, used by no revision (nor, differing only in case, by
	// one) and by no branch label.
	ID string
	// Head is the revision to build on: "head" (the default: the single
	// head), "base" (a new root, with no parent), a head's id or prefix,
	// label or label@head. A revision that is not a head needs Splice.
	Head string
	// Splice lets Head name a revision that is not a head, so that the new
	// revision starts a branch there.
	Splice bool
	// BranchLabels name the branch the new revision starts, for targets
	// such as label@head. Each must be new among labels and ids.
	BranchLabels []string
	// DependsOn names revisions (ids, prefixes, labels) that must be
	// applied before the new one without being its parents.
	DependsOn []string
	// VersionPath is the directory to write the revision into: the
	// migrations directory (the default) or one of WithVersionPaths. It is
	// created when missing.
	VersionPath string
}

// NewRevisionWith writes an empty revision, SQL or (goForm) Go, placed and
// named as spec says.
func (m *Migrator) NewRevisionWith(message string, goForm bool, spec RevisionSpec) (*revision.Revision, error) {
	if err := m.makeVersionPath(spec.VersionPath); err != nil {
		return nil, err
	}
	g, err := m.Revisions()
	if err != nil {
		return nil, err
	}
	parents, err := spec.parents(g)
	if err != nil {
		return nil, err
	}
	rev := &revision.Revision{Parents: parents, Message: message}
	if err := m.fill(g, rev, spec, nil); err != nil {
		return nil, err
	}
	if goForm {
		if _, err := revision.WriteGo(rev.Dir, filepath.Base(rev.Dir), rev); err != nil {
			return nil, err
		}
		return rev, nil
	}
	// As NewRevision: whoever fills it in writes this database's SQL.
	rev.Dialect = revision.CanonicalDialect(m.dialect.Name())
	if _, err := revision.Write(rev.Dir, rev); err != nil {
		return nil, err
	}
	return rev, nil
}

// WriteRevisionWith is WriteRevision (autogenerate) with the new
// revision placed and named as spec says. With spec.Head set, the
// database must stand exactly at that revision (the new one's parent),
// since the new revision takes the database from there to the models.
func (m *Migrator) WriteRevisionWith(ctx context.Context, message string, plan *Plan, spec RevisionSpec) (*revision.Revision, error) {
	return m.writeRevision(ctx, message, plan, spec)
}

// makeVersionPath creates dir, a configured version path, if missing.
func (m *Migrator) makeVersionPath(dir string) error {
	if dir == "" {
		return nil
	}
	if _, err := m.versionDir(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("strata: version path: %w", err)
	}
	return nil
}

// versionDir returns the directory a new revision goes to: the
// migrations directory, or dir when it is that or one of the version
// paths. Any other directory is refused, since strata would not read the
// revision written there.
func (m *Migrator) versionDir(dir string) (string, error) {
	if m.cfg.dir == "" {
		return "", errors.New("strata: writing a revision needs the migrations directory; set it with strata.WithDir")
	}
	if dir == "" || filepath.Clean(dir) == filepath.Clean(m.cfg.dir) {
		return m.cfg.dir, nil
	}
	known := []string{m.cfg.dir}
	for _, p := range m.cfg.versionPaths {
		if filepath.Clean(p) == filepath.Clean(dir) {
			return p, nil
		}
		known = append(known, p)
	}
	return "", fmt.Errorf("strata: version path %q is not a directory strata reads revisions from (%s); add it to version_paths in %s first",
		dir, strings.Join(known, ", "), ConfigFile)
}

// parents resolves spec.Head into the new revision's parents.
func (spec RevisionSpec) parents(g *revision.Graph) ([]string, error) {
	heads := g.Heads()
	switch spec.Head {
	case "", "head":
		if len(heads) > 1 {
			return nil, &revision.MultipleHeadsError{Heads: heads}
		}
		return heads, nil
	case "base":
		return nil, nil
	case "heads":
		return nil, errors.New("strata: --head heads: name one head (or label@head); `merge` joins several")
	}
	r, err := g.Resolve(spec.Head)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(heads, r.ID) && !spec.Splice {
		return nil, fmt.Errorf("strata: --head %s: revision %s is not a head (heads: %s); pass --splice to start a branch after it",
			spec.Head, r.ID, strings.Join(heads, ", "))
	}
	return []string{r.ID}, nil
}

// fill gives rev its id, branch labels, dependencies and directory as
// spec says; taken holds further ids in use (the version table's).
func (m *Migrator) fill(g *revision.Graph, rev *revision.Revision, spec RevisionSpec, taken []string) error {
	dir, err := m.versionDir(spec.VersionPath)
	if err != nil {
		return err
	}
	rev.Dir = dir
	labels := map[string]string{}
	for _, r := range g.Revisions() {
		taken = append(taken, r.ID)
		for _, l := range r.BranchLabels {
			labels[l] = r.ID
		}
	}
	if spec.ID == "" {
		rev.ID = revision.NewID(time.Now(), taken)
	} else {
		if !revisionIDRE.MatchString(spec.ID) {
			return fmt.Errorf("strata: revision id %q: use letters, digits and _ only", spec.ID)
		}
		for _, id := range taken {
			if strings.EqualFold(id, spec.ID) {
				return fmt.Errorf("strata: revision id %s is taken by revision %s; choose another", spec.ID, id)
			}
		}
		if owner, ok := labels[spec.ID]; ok {
			return fmt.Errorf("strata: revision id %s is a branch label of revision %s; choose another", spec.ID, owner)
		}
		rev.ID = spec.ID
	}
	for _, l := range spec.BranchLabels {
		if !revisionIDRE.MatchString(l) {
			return fmt.Errorf("strata: branch label %q: use letters, digits and _ only", l)
		}
		if owner, ok := labels[l]; ok {
			return fmt.Errorf("strata: branch label %s is already on revision %s; choose another", l, owner)
		}
		if _, err := g.Lookup(l); err == nil || l == rev.ID {
			return fmt.Errorf("strata: branch label %s would read as a revision id; choose another", l)
		}
		if l == "head" || l == "heads" || l == "base" {
			return fmt.Errorf("strata: branch label %s is a target's keyword; choose another", l)
		}
		rev.BranchLabels = append(rev.BranchLabels, l)
	}
	for _, d := range spec.DependsOn {
		r, err := g.Resolve(d)
		if err != nil {
			return fmt.Errorf("strata: --depends-on %s: %w", d, err)
		}
		if !slices.Contains(rev.DependsOn, r.ID) {
			rev.DependsOn = append(rev.DependsOn, r.ID)
		}
	}
	return nil
}
