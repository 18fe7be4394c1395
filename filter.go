package strata

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

// nameFilter keeps the objects of a schema that strata compares:
// tables, views, enum types and functions whose names match an include
// pattern (every name when there is none) and no exclude pattern.
type nameFilter struct {
	include, exclude []string
}

// WithInclude limits Inspect, Check, Autogenerate and Test's comparison
// of the models with head to the tables (and views, functions, enum
// types) whose names match one of patterns, globs as path.Match reads
// them (*, ?, [a-z], \ to escape). On PostgreSQL a pattern with a dot
// matches schema.name, the schema being the one inspected
// (WithDatabaseSchema, public by default). Several calls add patterns.
// The version table and its progress table are never included.
func WithInclude(patterns ...string) Option {
	return optionFunc(func(c *config) error {
		if err := validPatterns("WithInclude", patterns); err != nil {
			return err
		}
		c.filter.include = append(c.filter.include, patterns...)
		return nil
	})
}

// WithExclude leaves the tables (and views, functions, enum types) whose
// names match one of patterns out of inspect, check and migrate: they are
// neither reported nor dropped, as if the database did not have them.
// Patterns are read as for WithInclude; an exclude pattern wins over an
// include pattern. A model whose table is excluded is an error that names
// both.
func WithExclude(patterns ...string) Option {
	return optionFunc(func(c *config) error {
		if err := validPatterns("WithExclude", patterns); err != nil {
			return err
		}
		c.filter.exclude = append(c.filter.exclude, patterns...)
		return nil
	})
}

func validPatterns(option string, patterns []string) error {
	for _, p := range patterns {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("strata: %s: empty pattern", option)
		}
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("strata: %s: malformed pattern %q: %w (patterns are globs: *, ?, [a-z], \\ escapes)", option, p, err)
		}
		if strings.Count(p, ".") > 1 {
			return fmt.Errorf("strata: %s: malformed pattern %q: want name or schema.name", option, p)
		}
	}
	return nil
}

// forDialect rejects schema-qualified patterns where the database has one
// schema, rather than let them match nothing.
func (f nameFilter) forDialect(name string) error {
	if name == "postgres" {
		return nil
	}
	for _, p := range slices.Concat(f.include, f.exclude) {
		if strings.Contains(p, ".") {
			return fmt.Errorf("strata: pattern %q names a schema (schema.name), which only PostgreSQL has; on %s write the bare table name", p, name)
		}
	}
	return nil
}

func (f nameFilter) active() bool { return len(f.include)+len(f.exclude) > 0 }

// matching returns the first of patterns that name, in schema nsp,
// matches; a pattern with a dot is matched against nsp.name.
func matching(patterns []string, nsp, name string) (string, bool) {
	for _, p := range patterns {
		subject := name
		if strings.Contains(p, ".") {
			subject = nsp + "." + name
		}
		if ok, _ := path.Match(p, subject); ok {
			return p, true
		}
	}
	return "", false
}

// why returns the reason name is left out ("" when it is kept): the
// exclude pattern it matches, or that it matches no include pattern.
func (f nameFilter) why(nsp, name string) string {
	if p, ok := matching(f.exclude, nsp, name); ok {
		return fmt.Sprintf("it matches the exclude pattern %q", p)
	}
	if len(f.include) > 0 {
		if _, ok := matching(f.include, nsp, name); !ok {
			return fmt.Sprintf("it matches no include pattern (%s)", strings.Join(f.include, ", "))
		}
	}
	return ""
}

func (f nameFilter) keep(nsp, name string) bool { return f.why(nsp, name) == "" }

// apply removes from s what f leaves out. Indexes, constraints and
// triggers go with their table. An enum type goes with the tables that
// use it: it stays while a kept table uses it, and one no table uses is
// matched by its own name. Extensions are left alone.
func (f nameFilter) apply(s *schema.Schema) {
	if !f.active() {
		return
	}
	usedBy := map[string][]string{} // enum -> tables using it
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if e, ok := c.Type.(schema.EnumType); ok {
				usedBy[e.Name] = append(usedBy[e.Name], t.Name)
			}
		}
	}
	s.Tables = slices.DeleteFunc(s.Tables, func(t *schema.Table) bool { return !f.keep(s.Name, t.Name) })
	s.Views = slices.DeleteFunc(s.Views, func(v *schema.View) bool { return !f.keep(s.Name, v.Name) })
	s.Functions = slices.DeleteFunc(s.Functions, func(fn *schema.Function) bool { return !f.keep(s.Name, fn.Name) })
	s.Sequences = slices.DeleteFunc(s.Sequences, func(q *schema.Sequence) bool { return !f.keep(s.Name, q.Name) })
	s.Domains = slices.DeleteFunc(s.Domains, func(d *schema.Domain) bool { return !f.keep(s.Name, d.Name) })
	s.CompositeTypes = slices.DeleteFunc(s.CompositeTypes, func(c *schema.CompositeType) bool { return !f.keep(s.Name, c.Name) })
	s.Unmanaged = slices.DeleteFunc(s.Unmanaged, func(u schema.Unmanaged) bool { return !f.keep(s.Name, u.Subject()) })
	s.Enums = slices.DeleteFunc(s.Enums, func(e *schema.Enum) bool {
		tables, used := usedBy[e.Name]
		if !used {
			return !f.keep(s.Name, e.Name)
		}
		return !slices.ContainsFunc(tables, func(t string) bool { return f.keep(s.Name, t) })
	})
}

// inspectAll reads the database's whole schema, strata's own tables
// aside, whatever the include and exclude patterns say: what runs a plan
// (the dry run's copy, lint) must see every table a revision may touch.
func (m *Migrator) inspectAll(ctx context.Context) (*schema.Schema, error) {
	if err := m.connect(ctx); err != nil {
		return nil, err
	}
	s, err := m.dialect.Inspect(ctx, m.db, dialect.InspectOptions{Schema: m.cfg.dbSchema, Exclude: runner.InternalTables(m.cfg.table)})
	if err != nil {
		return nil, fmt.Errorf("strata: inspect: %w", err)
	}
	return s, nil
}

// filterDesired applies the patterns to the desired schema. A schema
// file may hold tables the patterns leave out (a dump of the whole
// database, say), which are then ignored; models and WithSchema describe
// the application's own tables, so one of those left out is a mistake in
// the patterns, reported with every such table.
func (m *Migrator) filterDesired(s *schema.Schema, nsp string) error {
	f := m.cfg.filter
	if !f.active() {
		return nil
	}
	if m.cfg.schemaFile == "" {
		var errs []error
		for _, t := range s.Tables {
			if why := f.why(nsp, t.Name); why != "" {
				errs = append(errs, fmt.Errorf("strata: the models' table %q is left out of the comparison: %s; remove the model or change the include/exclude patterns", t.Name, why))
			}
		}
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	name := s.Name
	s.Name = nsp
	f.apply(s)
	s.Name = name
	return nil
}
