package strata

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/schema"
)

// DDL renders s as the statements that create it in an empty database of
// the Migrator's dialect, in dependency order.
func (m *Migrator) DDL(s *schema.Schema) ([]string, error) {
	ops, err := diff.Schemas(&schema.Schema{Name: s.Name}, s)
	if err != nil {
		return nil, fmt.Errorf("strata: %w", err)
	}
	return m.renderOps(&schema.Schema{Name: s.Name}, ops)
}

// WriteSchema inspects the database and writes its schema as strata sees
// it, in format "sql" (statements that recreate it in an empty database
// of this dialect) or "json".
//
// What the database holds that strata does not manage (s.Unmanaged) is
// named in "-- strata does not manage …" comments at the head of the SQL
// and in the "unmanaged" member of the JSON, with "warnings" that say so.
func (m *Migrator) WriteSchema(ctx context.Context, w io.Writer, format string) error {
	s, err := m.Inspect(ctx)
	if err != nil {
		return err
	}
	return m.WriteInspected(w, s, format)
}

// WriteInspected writes s, as Inspect returned it, as WriteSchema does.
func (m *Migrator) WriteInspected(w io.Writer, s *schema.Schema, format string) error {
	switch format {
	case "", "sql":
		stmts, err := m.DDL(s)
		if err != nil {
			return err
		}
		for _, note := range inspectNotes(s) {
			if _, err := fmt.Fprintf(w, "-- %s\n", note); err != nil {
				return err
			}
		}
		if len(s.Unmanaged) > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		for _, st := range stmts {
			if _, err := fmt.Fprintf(w, "%s;\n\n", strings.TrimRight(st, "; \n")); err != nil {
				return err
			}
		}
		return nil
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonSchema(s))
	}
	return fmt.Errorf("strata: inspect format %q: want sql or json", format)
}

// jsonSchema is the JSON form of a schema: types and defaults in their
// neutral spelling, each with its kind.
func jsonSchema(s *schema.Schema) any {
	type column struct {
		Name          string `json:"name"`
		Type          string `json:"type"`
		TypeKind      string `json:"type_kind"`
		DeclaredType  string `json:"declared_type,omitempty"`
		Nullable      bool   `json:"nullable"`
		Default       string `json:"default,omitempty"`
		DefaultKind   string `json:"default_kind,omitempty"`
		AutoIncrement bool   `json:"auto_increment,omitempty"`
		Identity      string `json:"identity,omitempty"`
		Generated     string `json:"generated,omitempty"`
		Stored        bool   `json:"stored,omitempty"`
		Collation     string `json:"collation,omitempty"`
		OnUpdate      string `json:"on_update,omitempty"`
		Comment       string `json:"comment,omitempty"`
		Invisible     bool   `json:"invisible,omitempty"`
		Check         string `json:"check,omitempty"`
	}
	type table struct {
		Name         string               `json:"name"`
		Columns      []column             `json:"columns"`
		PrimaryKey   *schema.PrimaryKey   `json:"primary_key,omitempty"`
		Indexes      []*schema.Index      `json:"indexes,omitempty"`
		ForeignKeys  []*schema.ForeignKey `json:"foreign_keys,omitempty"`
		Checks       []*schema.Check      `json:"checks,omitempty"`
		Triggers     []*schema.Trigger    `json:"triggers,omitempty"`
		Comment      string               `json:"comment,omitempty"`
		Engine       string               `json:"engine,omitempty"`
		Charset      string               `json:"charset,omitempty"`
		Collation    string               `json:"collation,omitempty"`
		Strict       bool                 `json:"strict,omitempty"`
		WithoutRowID bool                 `json:"without_rowid,omitempty"`
		Options      string               `json:"options,omitempty"`
		Partition    string               `json:"partition,omitempty"`
	}
	out := struct {
		Name       string              `json:"name,omitempty"`
		Tables     []table             `json:"tables"`
		Views      []*schema.View      `json:"views,omitempty"`
		Enums      []*schema.Enum      `json:"enums,omitempty"`
		Extensions []*schema.Extension `json:"extensions,omitempty"`
		Functions  []*schema.Function  `json:"functions,omitempty"`
		// PostgreSQL's standalone sequences, domains and composite types.
		Sequences      []*schema.Sequence      `json:"sequences,omitempty"`
		Domains        []*schema.Domain        `json:"domains,omitempty"`
		CompositeTypes []*schema.CompositeType `json:"composite_types,omitempty"`
		// Unmanaged are the objects strata does not manage, with Warnings
		// that say so.
		Unmanaged []schema.Unmanaged `json:"unmanaged"`
		Warnings  []string           `json:"warnings"`
	}{Name: s.Name, Views: s.Views, Enums: s.Enums, Extensions: s.Extensions, Functions: s.Functions, Tables: []table{},
		Sequences: s.Sequences, Domains: s.Domains, CompositeTypes: s.CompositeTypes,
		Unmanaged: append([]schema.Unmanaged{}, s.Unmanaged...), Warnings: inspectNotes(s)}
	kind := func(v any) string {
		return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", v), "schema."), "Type"))
	}
	for _, t := range s.Tables {
		jt := table{Name: t.Name, PrimaryKey: t.PrimaryKey, Indexes: t.Indexes, ForeignKeys: t.ForeignKeys,
			Checks: t.Checks, Triggers: t.Triggers, Comment: t.Comment, Engine: t.Engine, Charset: t.Charset, Collation: t.Collation,
			Options: t.Options, Partition: t.Partition, Strict: t.Strict, WithoutRowID: t.WithoutRowID}
		for _, c := range t.Columns {
			jc := column{Name: c.Name, Type: c.Type.String(), TypeKind: kind(c.Type), DeclaredType: c.DeclaredType, Nullable: c.Nullable,
				AutoIncrement: c.AutoIncrement, Identity: c.Identity, Generated: c.Generated.Expr, Stored: c.Generated.Stored,
				Collation: c.Collation, OnUpdate: c.OnUpdate, Comment: c.Comment, Invisible: c.Invisible, Check: c.Check}
			if c.Default != nil {
				jc.Default, jc.DefaultKind = c.Default.String(), kind(c.Default)
			}
			jt.Columns = append(jt.Columns, jc)
		}
		out.Tables = append(out.Tables, jt)
	}
	return out
}
