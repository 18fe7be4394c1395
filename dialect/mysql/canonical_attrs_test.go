package mysql_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// attrsModel uses every attribute the model gained, spelled loosely, as a
// hand-written or cross-dialect schema would. With namedEnum, status is a
// column of a named enum type (PostgreSQL style).
func attrsModel(namedEnum bool) *schema.Schema {
	status := schema.Type(schema.RawType{SQL: "ENUM('active','gone')"})
	var enums []*schema.Enum
	if namedEnum {
		status = schema.EnumType{Name: "status"}
		enums = []*schema.Enum{{Name: "status", Values: []string{"active", "gone"}}}
	}
	return &schema.Schema{
		Enums: enums,
		Tables: []*schema.Table{
			{
				Name: "accounts",
				Columns: []*schema.Column{
					{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true, Identity: schema.IdentityAlways},
					{Name: "email", Type: schema.StringType{Size: 100}, Collation: "UTF8MB4_BIN"},
					{Name: "status", Type: status, Default: schema.Literal{SQL: "'active'"}},
					{Name: "created", Type: schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6},
						Default: schema.Expr{SQL: "now(6)"}, OnUpdate: "current_timestamp(6)"},
					{Name: "domain", Type: schema.StringType{Size: 100}, Generated: schema.Generated{Expr: "(substring_index(`email`,'@',-1))", Stored: true}},
					{Name: "len", Type: schema.IntegerType{Bits: 32}, Nullable: true, Generated: schema.Generated{Expr: "char_length(`email`)"}},
				},
				PrimaryKey: &schema.PrimaryKey{Name: "accounts_pkey", Columns: []string{"id"}},
				Indexes: []*schema.Index{
					{Name: "uq_email", Parts: schema.Columns("email"), Unique: true, Constraint: true},
					{Name: "ix_created", Parts: []schema.IndexPart{{Column: "created", Desc: true}}, Method: "btree"},
					{Name: "ix_email_prefix", Parts: []schema.IndexPart{{Column: "email", Prefix: 10}}},
				},
				Checks:  []*schema.Check{{Name: "ck_email", Expr: "(`email` like '%@%')"}, {Expr: "`len` < 100"}},
				Engine:  "innodb",
				Comment: "accounts",
			},
			{
				Name:       "logs",
				Columns:    []*schema.Column{{Name: "id", Type: schema.IntegerType{Bits: 32}}, {Name: "msg", Type: schema.StringType{}, Nullable: true}},
				PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
				Indexes:    []*schema.Index{{Name: "ft", Parts: schema.Columns("msg"), Method: "fulltext"}},
				Engine:     "myisam",
				Charset:    "LATIN1",
			},
			// Table options that are the database's defaults, or implied.
			{Name: "o_db_charset", Columns: idColumn(), Charset: "utf8mb4"},
			{Name: "o_db_collation", Columns: idColumn(), Collation: "utf8mb4_general_ci"},
			{Name: "o_collation_alone", Columns: idColumn(), Collation: "latin1_bin"},
			{Name: "o_charset_default", Columns: idColumn(), Charset: "LATIN1", Collation: "latin1_swedish_ci"},
			{Name: "o_utf8", Columns: idColumn(), Charset: "utf8", Collation: "utf8_bin"},
			{Name: "o_column_as_table", Charset: "latin1", Columns: []*schema.Column{
				{Name: "s", Type: schema.StringType{Size: 5}, Collation: "latin1_swedish_ci"},
				{Name: "b", Type: schema.StringType{Size: 5}, Collation: "utf8mb4_general_ci"},
			}},
			{
				Name: "sessions",
				Columns: []*schema.Column{
					{Name: "token", Type: schema.StringType{Size: 64, Fixed: true}, Collation: "ascii_bin"},
					{Name: "account", Type: schema.IntegerType{Bits: 64}},
				},
				PrimaryKey:  &schema.PrimaryKey{Columns: []string{"token"}},
				ForeignKeys: []*schema.ForeignKey{{Name: "fk_account", Columns: []string{"account"}, RefTable: "accounts", RefColumns: []string{"id"}, OnDelete: "cascade", Deferrable: true}},
				Collation:   "UTF8MB4_UNICODE_CI",
			},
		},
		Views: []*schema.View{{Name: "emails", Def: "select `accounts`.`email` AS `email` from `accounts` where `accounts`.`status` = 'active';\n"}},
	}
}

func idColumn() []*schema.Column {
	return []*schema.Column{{Name: "id", Type: schema.IntegerType{Bits: 32}}, {Name: "s", Type: schema.StringType{Size: 3}, Nullable: true}}
}

// TestCanonicalAttributes renders attrsModel, applies it and inspects the
// database: the result must equal Canonical of the model. The model
// without a named enum renders as it is; the one with goes through
// Canonical first, since MySQL has no enum types (and Render says so).
func TestCanonicalAttributes(t *testing.T) {
	t.Parallel()
	for _, namedEnum := range []bool{false, true} {
		name := "inline enum"
		if namedEnum {
			name = "named enum"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db, d := fresh(t)
			if !d.MariaDB() {
				t.Skip("the expressions are spelled as MariaDB prints them")
			}
			rendered := attrsModel(namedEnum)
			if namedEnum {
				d.Canonical(rendered)
			}
			renderAll(t, d, db, rendered)
			got := inspect(t, d, db)
			want := attrsModel(namedEnum)
			d.Canonical(want)
			diffSchemas(t, "inspected vs canonical model", got, want)

			again := want.Clone()
			d.Canonical(again)
			diffSchemas(t, "canonical twice", again, want)

			acc, _ := want.Table("accounts")
			if acc.Engine != "" || acc.PrimaryKey.Name != "PRIMARY" || len(want.Enums) != 0 {
				t.Errorf("canonical accounts: engine %q, primary key %q, enums %v", acc.Engine, acc.PrimaryKey.Name, want.Enums)
			}
			if c, _ := acc.Column("status"); c.Type != (schema.RawType{SQL: "enum('active','gone')"}) {
				t.Errorf("canonical status type %v", c.Type)
			}
			if c, _ := acc.Column("created"); c.OnUpdate != "CURRENT_TIMESTAMP(6)" || c.Default != (schema.Expr{SQL: "CURRENT_TIMESTAMP(6)"}) {
				t.Errorf("canonical created: %+v", c)
			}
			if c, _ := acc.Column("domain"); !c.Nullable || c.Generated.Expr != "substring_index(`email`,'@',-1)" {
				t.Errorf("canonical domain: %+v", c)
			}
			if ix, _ := acc.Index("uq_email"); ix.Constraint {
				t.Error("canonical uq_email still a constraint")
			}
			for name, attrs := range map[string]schema.TableAttrs{
				"o_db_charset": {}, "o_db_collation": {}, "o_collation_alone": {Charset: "latin1", Collation: "latin1_bin"},
				"o_charset_default": {Charset: "latin1"}, "o_utf8": {Charset: "utf8mb3", Collation: "utf8mb3_bin"},
			} {
				if tb, _ := want.Table(name); tb.Attrs() != attrs {
					t.Errorf("canonical %s attributes %+v, want %+v", name, tb.Attrs(), attrs)
				}
			}
			logs, _ := want.Table("logs")
			if logs.Attrs() != (schema.TableAttrs{Engine: "MyISAM", Charset: "latin1"}) {
				t.Errorf("canonical logs attributes %+v", logs.Attrs())
			}
		})
	}
}

func TestRenderEnumOps(t *testing.T) {
	t.Parallel()
	d := &mysql.Dialect{}
	e := &schema.Enum{Name: "mood", Values: []string{"ok"}}
	for _, o := range []op.Op{op.CreateEnum{Enum: e}, op.DropEnum{Enum: e}, op.AddEnumValue{Enum: "mood", Value: "sad"}} {
		_, err := d.Render(nil, o)
		if !errors.Is(err, mysql.ErrNoEnumTypes) || !strings.Contains(err.Error(), o.String()) {
			t.Errorf("render %s: %v, want ErrNoEnumTypes naming the op", o, err)
		}
	}
	tb := &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "m", Type: schema.EnumType{Name: "mood"}}}}
	if _, err := d.Render(nil, op.CreateTable{Table: tb}); !errors.Is(err, mysql.ErrNoEnumTypes) {
		t.Errorf("render a column of an enum type: %v, want ErrNoEnumTypes", err)
	}
}
