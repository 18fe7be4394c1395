package conformance

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Case is one sqldef test case. Fields strata does not use are kept so
// that eligibility can look at them and the report can name them.
type Case struct {
	// Name is the case's key in its file; File is the file's base name.
	Name, File string

	Current    string `yaml:"current"`
	Desired    string `yaml:"desired"`
	Up         string `yaml:"up"`
	Down       string `yaml:"down"`
	Error      string `yaml:"error"`
	MinVersion string `yaml:"min_version"`
	MaxVersion string `yaml:"max_version"`
	User       string `yaml:"user"`
	// Flavor is "mysql", "mariadb", "tidb", "pgvector" or one of them
	// after "!", which excludes it.
	Flavor       string         `yaml:"flavor"`
	ManagedRoles []string       `yaml:"managed_roles"`
	EnableDrop   *bool          `yaml:"enable_drop"`
	Manage       map[string]any `yaml:"manage"`
	Offline      bool           `yaml:"offline"`
	Config       map[string]any `yaml:"config"`
	// LegacyIgnoreQuotes only changes how sqldef quotes its own output.
	LegacyIgnoreQuotes *bool `yaml:"legacy_ignore_quotes"`
}

// Folders maps strata's dialect names to the corpus folder of each.
var Folders = map[string]string{
	"postgres": "psqldef",
	"mysql":    "mysqldef",
	"sqlite":   "sqlite3def",
}

// Dialects lists the dialects in report order.
var Dialects = []string{"sqlite", "postgres", "mysql"}

// Load reads every case of a dialect's folder under dir, ordered by file
// and then by position in the file. Names are unique per dialect; a name
// seen twice is an error naming both files.
func Load(dir, dialect string) ([]*Case, error) {
	folder, ok := Folders[dialect]
	if !ok {
		return nil, fmt.Errorf("conformance: unknown dialect %q; want sqlite, postgres or mysql", dialect)
	}
	files, err := filepath.Glob(filepath.Join(dir, folder, "*.yml"))
	if err != nil {
		return nil, err
	}
	more, _ := filepath.Glob(filepath.Join(dir, folder, "*.yaml"))
	files = append(files, more...)
	if len(files) == 0 {
		return nil, fmt.Errorf("conformance: no *.yml files in %s (is -corpus the sqldef folder?)", filepath.Join(dir, folder))
	}
	slices.Sort(files)
	var (
		out  []*Case
		seen = map[string]string{}
	)
	for _, f := range files {
		cases, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			if prev, dup := seen[c.Name]; dup {
				return nil, fmt.Errorf("conformance: case %q is in both %s and %s", c.Name, prev, c.File)
			}
			seen[c.Name] = c.File
		}
		out = append(out, cases...)
	}
	return out, nil
}

// LoadFile reads one YAML file of cases, in file order. Unknown fields are
// an error, so that a change of the format is noticed.
func LoadFile(path string) ([]*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", path, err)
	}
	if len(root.Content) == 0 {
		return nil, nil // an empty file
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("conformance: %s: want a map of case name to case, got YAML kind %d", path, m.Kind)
	}
	var out []*Case
	for i := 0; i+1 < len(m.Content); i += 2 {
		name, body := m.Content[i].Value, m.Content[i+1]
		c := &Case{Name: name, File: filepath.Base(path)}
		if err := decodeStrict(body, c); err != nil {
			return nil, fmt.Errorf("conformance: %s: case %s (line %d): %w", path, name, m.Content[i].Line, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// decodeStrict decodes n into c, rejecting unknown fields.
func decodeStrict(n *yaml.Node, c *Case) error {
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return dec.Decode(c)
}

// flavorWants splits a flavor into the flavor and whether it is required
// (true) or excluded (false, for "!x").
func flavorWants(flavor string) (name string, want bool) {
	flavor = strings.TrimSpace(flavor)
	if rest, ok := strings.CutPrefix(flavor, "!"); ok {
		return rest, false
	}
	return flavor, true
}

// DefaultCorpus returns ../shared/corpora/sqldef relative to the root of
// the module that holds the working directory, or "" when there is none.
func DefaultCorpus() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "corpora", "sqldef")
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}
