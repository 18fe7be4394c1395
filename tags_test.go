package strata_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// One model per documented tag of docs/models.md, each its own table, so a
// case shows which tag fails to converge on which dialect.

type tagPK struct {
	ID int64 `strata:"pk"`
}
type tagPKString struct {
	Code string `strata:"pk"`
}
type tagPKComposite struct {
	A int64 `strata:"pk"`
	B int64 `strata:"pk"`
}
type tagNoAutoInc struct {
	ID int64 `strata:"pk,autoincrement:false"`
}
type tagSize struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:200"`
}
type tagTypeVarchar struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"type:varchar(40)"`
}
type tagTypeNumeric struct {
	ID    int64   `strata:"pk"`
	Price float64 `strata:"type:numeric(10,2)"`
}
type tagTypeMore struct {
	ID    int64     `strata:"pk"`
	I     int64     `strata:"type:integer"`
	Small int16     `strata:"type:smallint"`
	Dec   float64   `strata:"type:decimal(12,4),default:1.5"`
	Char  string    `strata:"type:char(3)"`
	Day   time.Time `strata:"type:date"`
	Text  string    `strata:"type:text"`
	Flag  bool      `strata:"type:boolean,default:true"`
}
type tagDefaultComma struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,default:'a, b'"`
}
type tagCheckString struct {
	ID     int64  `strata:"pk"`
	Status string `strata:"size:10,check:(status <> 'x' and length(status) > 0)"`
}
type tagUniqueIndex struct {
	ID   int64  `strata:"pk"`
	Code string `strata:"size:10,unique,index"`
}
type tagDefaultInt struct {
	ID  int64 `strata:"pk"`
	Qty int64 `strata:"default:42"`
}
type tagDefaultNegative struct {
	ID  int64 `strata:"pk"`
	Qty int32 `strata:"default:-1"`
}
type tagDefaultFloat struct {
	ID    int64   `strata:"pk"`
	Ratio float64 `strata:"default:1.5"`
}
type tagDefaultBare struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,default:hello"`
}
type tagDefaultQuoted struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,default:'it''s'"`
}
type tagDefaultEmpty struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,default:''"`
}
type tagDefaultTrue struct {
	ID   int64 `strata:"pk"`
	Done bool  `strata:"default:true"`
}
type tagDefaultFalse struct {
	ID   int64 `strata:"pk"`
	Done bool  `strata:"default:false"`
}
type tagDefaultNow struct {
	ID int64     `strata:"pk"`
	At time.Time `strata:"default:current_timestamp"`
}
type tagDefaultNow6 struct {
	ID int64     `strata:"pk"`
	At time.Time `strata:"default:current_timestamp(6)"`
}
type tagDefaultNowUpper struct {
	ID int64     `strata:"pk"`
	At time.Time `strata:"default:CURRENT_TIMESTAMP"`
}
type tagDefaultNowFunc struct {
	ID int64     `strata:"pk"`
	At time.Time `strata:"default:now()"`
}
type tagDefaultBlob struct {
	ID   int64  `strata:"pk"`
	Data []byte `strata:"default:abc"`
}
type tagRenamedFrom struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,renamed_from:title"`
}
type tagDefaultTime struct {
	ID int64     `strata:"pk"`
	At time.Time `strata:"default:'2000-01-02 03:04:05'"`
}
type tagDefaultExpr struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,default:(lower('X'))"`
}
type tagNull struct {
	ID   int64  `strata:"pk"`
	Note string `strata:"null"`
}
type tagPointer struct {
	ID   int64      `strata:"pk"`
	Note *string    `strata:"size:20"`
	At   *time.Time ``
	N    sql.NullInt64
}
type tagNullDefault struct {
	ID  int64  `strata:"pk"`
	Qty *int64 `strata:"default:7"`
}
type tagUnique struct {
	ID    int64  `strata:"pk"`
	Email string `strata:"unique"`
}
type tagUniqueNamed struct {
	ID int64  `strata:"pk"`
	A  string `strata:"size:20,unique:uq_pair"`
	B  int64  `strata:"unique:uq_pair"`
}
type tagIndex struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"index"`
}
type tagIndexNamed struct {
	ID int64 `strata:"pk"`
	A  int64 `strata:"index:idx_ab"`
	B  int64 `strata:"index:idx_ab"`
}
type tagParent struct {
	ID int64 `strata:"pk"`
}
type tagFK struct {
	ID       int64 `strata:"pk"`
	ParentID int64 `strata:"fk:tag_parents.id"`
}
type tagFKCascade struct {
	ID       int64 `strata:"pk"`
	ParentID int64 `strata:"fk:tag_parents.id,ondelete:cascade,onupdate:cascade"`
}
type tagFKSetNull struct {
	ID       int64  `strata:"pk"`
	ParentID *int64 `strata:"fk:tag_parents.id,ondelete:set null,onupdate:restrict"`
}
type tagComment struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20,comment:'the name, shown'"`
}
type tagCheck struct {
	ID  int64 `strata:"pk"`
	Qty int64 `strata:"check:(qty > 0)"`
}
type tagCheckParts struct {
	ID    int64  `strata:"pk"`
	Qty   int64  `strata:"check:((qty > 0) and (qty < 100) or qty = -1)"`
	Price *int64 `strata:"check:(price is null or price >= 0 and price <= qty * 10 + 1)"`
	Code  string `strata:"size:10,check:(code like 'a%' or code between 'x' and 'z' or not (code = 'q' or code like 'r%'))"`
	Rate  int32  `strata:"check:(rate in (1, 2, 3) and (rate - 1) * 2 < 10 and rate != 5)"`
}
type tagEnum struct {
	ID     int64  `strata:"pk"`
	Status string `strata:"enum:todo|doing|done"`
}
type tagEnumDefault struct {
	ID     int64  `strata:"pk"`
	Status string `strata:"enum:todo|doing|done,default:todo"`
}
type tagTypes struct {
	ID   int64 `strata:"pk"`
	I    int
	I32  int32
	I16  int16
	I8   int8
	U8   uint8
	F32  float32
	F64  float64
	B    bool
	T    time.Time
	Blob []byte
	S    string
}

func (tagParent) TableName() string { return "tag_parents" }

// TestEveryTagRoundTrips: every tag docs/models.md lists, on every
// dialect, is generated, applied, checked (no difference) and generated
// again (nothing to write). A tag that cannot converge would make check
// fail forever and every migrate write the same change again.
func TestEveryTagRoundTrips(t *testing.T) {
	cases := []struct {
		name  string
		model any
	}{
		{"pk", tagPK{}},
		{"pk_string", tagPKString{}},
		{"pk_composite", tagPKComposite{}},
		{"autoincrement_false", tagNoAutoInc{}},
		{"size", tagSize{}},
		{"type_varchar", tagTypeVarchar{}},
		{"type_numeric_precision_scale", tagTypeNumeric{}},
		{"type_more", tagTypeMore{}},
		{"default_comma", tagDefaultComma{}},
		{"check_string", tagCheckString{}},
		{"unique_and_index", tagUniqueIndex{}},
		{"default_int", tagDefaultInt{}},
		{"default_negative", tagDefaultNegative{}},
		{"default_float", tagDefaultFloat{}},
		{"default_bare_string", tagDefaultBare{}},
		{"default_quoted_string", tagDefaultQuoted{}},
		{"default_empty_string", tagDefaultEmpty{}},
		{"default_true", tagDefaultTrue{}},
		{"default_false", tagDefaultFalse{}},
		{"default_current_timestamp", tagDefaultNow{}},
		{"default_current_timestamp_6", tagDefaultNow6{}},
		{"default_CURRENT_TIMESTAMP", tagDefaultNowUpper{}},
		{"default_now", tagDefaultNowFunc{}},
		{"default_expression", tagDefaultExpr{}},
		{"default_time_literal", tagDefaultTime{}},
		{"default_blob", tagDefaultBlob{}},
		{"renamed_from", tagRenamedFrom{}},
		{"null", tagNull{}},
		{"pointer_and_sql_null", tagPointer{}},
		{"null_with_default", tagNullDefault{}},
		{"unique", tagUnique{}},
		{"unique_named_composite", tagUniqueNamed{}},
		{"index", tagIndex{}},
		{"index_named_composite", tagIndexNamed{}},
		{"fk", tagFK{}},
		{"fk_cascade", tagFKCascade{}},
		{"fk_set_null_restrict", tagFKSetNull{}},
		{"comment", tagComment{}},
		{"check", tagCheck{}},
		{"check_several_parts", tagCheckParts{}},
		{"enum", tagEnum{}},
		{"enum_default", tagEnumDefault{}},
		{"go_types", tagTypes{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
				ctx := context.Background()
				m := open(t, testdb.URL(t, dialect), t.TempDir(), tagParent{}, c.model)
				if _, err := m.Autogenerate(ctx, c.name); err != nil {
					t.Fatalf("autogenerate: %v", err)
				}
				if _, err := m.Upgrade(ctx, "head"); err != nil {
					t.Fatalf("upgrade: %v", err)
				}
				if err := m.Check(ctx); err != nil {
					plan, _ := m.Diff(ctx)
					t.Fatalf("check after upgrade: %v\nops: %v", err, plan.Ops)
				}
				if rev, err := m.Autogenerate(ctx, "again"); !errors.Is(err, strata.ErrNoChanges) {
					t.Fatalf("second autogenerate wrote %v, err %v; want ErrNoChanges", rev, err)
				}
			})
		})
	}
}

// TestTimestampDefaultInAnotherTimeZone: PostgreSQL prints a timestamp
// with time zone default in the session's time zone; a fixed time default
// still converges when the session is not UTC.
func TestTimestampDefaultInAnotherTimeZone(t *testing.T) {
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	url := testdb.URL(t, "postgres") + "&TimeZone=Asia/Kolkata"
	m := open(t, url, t.TempDir(), tagDefaultTime{})
	var tz string
	if err := m.DB().QueryRowContext(ctx, "SHOW TimeZone").Scan(&tz); err != nil || tz != "Asia/Kolkata" {
		t.Fatalf("session time zone %q, %v", tz, err)
	}
	if _, err := m.Autogenerate(ctx, "times"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if err := m.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
}
