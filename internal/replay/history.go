package replay

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Dialects lists the dialect names in report order.
var Dialects = []string{"sqlite", "postgres", "mysql"}

// History is one project's migration history for one dialect.
type History struct {
	Name    string
	Dialect string
	// Dir is the folder the steps were read from.
	Dir   string
	Steps []Step
}

// Step is one migration of a history.
type Step struct {
	// Name identifies the step: V0001.Initial_Schema, or a Diesel
	// migration's directory name.
	Name string
	// Up and Down are the files' paths; Down is empty when there is none.
	Up, Down string
}

// DefaultDir returns ../shared/corpora/histories relative to the root of
// the module that holds the working directory, or "" when there is none.
func DefaultDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "corpora", "histories")
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Find lists the histories under dir, one per history and dialect, in
// name then dialect order. Two layouts are recognized:
//
//   - NAME/DIALECT/V<version>.<name>.up.sql (and .down.sql), Flyway style,
//     ordered by version (authelia);
//   - NAME/migrations/<timestamp>_<name>/up.sql (and down.sql), Diesel
//     style, ordered by timestamp with its dashes taken out, as Diesel
//     does; PostgreSQL only (crates.io).
func Find(dir string) ([]*History, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*History
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		for _, d := range Dialects {
			h, err := Load(dir, e.Name(), d)
			if err != nil {
				return nil, err
			}
			if h != nil {
				out = append(out, h)
			}
		}
	}
	return out, nil
}

var versionedRE = regexp.MustCompile(`^V(\d+)[._](.*)\.up\.sql$`)

// Load reads one history for one dialect; it returns nil and no error
// when the history has no steps for that dialect.
func Load(dir, name, dialect string) (*History, error) {
	root := filepath.Join(dir, name)
	if fi, err := os.Stat(filepath.Join(root, dialect)); err == nil && fi.IsDir() {
		return loadVersioned(filepath.Join(root, dialect), name, dialect)
	}
	if fi, err := os.Stat(filepath.Join(root, "migrations")); err == nil && fi.IsDir() && dialect == "postgres" {
		return loadDiesel(filepath.Join(root, "migrations"), name, dialect)
	}
	return nil, nil
}

func loadVersioned(dir, name, dialect string) (*History, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type versioned struct {
		v int
		s Step
	}
	var steps []versioned
	for _, e := range entries {
		m := versionedRE.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		v, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", e.Name(), err)
		}
		base := strings.TrimSuffix(e.Name(), ".up.sql")
		st := Step{Name: base, Up: filepath.Join(dir, e.Name())}
		if down := filepath.Join(dir, base+".down.sql"); exists(down) {
			st.Down = down
		}
		steps = append(steps, versioned{v, st})
	}
	if len(steps) == 0 {
		return nil, nil
	}
	slices.SortFunc(steps, func(a, b versioned) int {
		return cmp.Or(cmp.Compare(a.v, b.v), cmp.Compare(a.s.Name, b.s.Name))
	})
	h := &History{Name: name, Dialect: dialect, Dir: dir}
	for _, s := range steps {
		h.Steps = append(h.Steps, s.s)
	}
	return h, nil
}

// dieselVersion is the part of a Diesel migration's directory name before
// the first underscore, without dashes: Diesel orders migrations by it.
func dieselVersion(dir string) string {
	v, _, _ := strings.Cut(dir, "_")
	return strings.ReplaceAll(v, "-", "")
}

func loadDiesel(dir, name, dialect string) (*History, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	h := &History{Name: name, Dialect: dialect, Dir: dir}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		up := filepath.Join(dir, e.Name(), "up.sql")
		if !exists(up) {
			continue
		}
		st := Step{Name: e.Name(), Up: up}
		if down := filepath.Join(dir, e.Name(), "down.sql"); exists(down) {
			st.Down = down
		}
		h.Steps = append(h.Steps, st)
	}
	if len(h.Steps) == 0 {
		return nil, nil
	}
	slices.SortFunc(h.Steps, func(a, b Step) int {
		return cmp.Or(cmp.Compare(dieselVersion(a.Name), dieselVersion(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return h, nil
}

func exists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}
