package mysql_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// beginEndTrigger has a body of several statements, semicolons inside.
const beginEndTrigger = "CREATE TRIGGER `fill total` BEFORE INSERT ON orders FOR EACH ROW BEGIN\n" +
	"  SET NEW.total = NEW.qty * NEW.price;\n" +
	"  IF NEW.note IS NULL THEN SET NEW.note = 'none'; END IF;\n" +
	"END"

// TestTriggerRoundTrip inspects triggers created with DEFINER, one with a
// BEGIN … END body, renders them into a fresh database as autogenerate
// does, and checks that the second database inspects equal and that the
// triggers run there.
func TestTriggerRoundTrip(t *testing.T) {
	t.Parallel()
	db1, d := fresh(t)
	mustExec(t, db1,
		"CREATE TABLE orders (id INT PRIMARY KEY, qty INT, price INT, total INT, note VARCHAR(20))",
		"CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT)",
		beginEndTrigger,
		"CREATE DEFINER = CURRENT_USER TRIGGER log_order AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (order_id) VALUES (NEW.id)",
	)
	first := inspect(t, d, db1)
	orders, ok := first.Table("orders")
	if !ok {
		t.Fatal("no table orders")
	}
	if len(orders.Triggers) != 2 {
		t.Fatalf("orders has %d triggers, want 2", len(orders.Triggers))
	}
	wantDefs := map[string]string{
		"fill total": "CREATE TRIGGER `fill total` BEFORE INSERT ON `orders` FOR EACH ROW BEGIN\n" +
			"  SET NEW.total = NEW.qty * NEW.price;\n" +
			"  IF NEW.note IS NULL THEN SET NEW.note = 'none'; END IF;\n" +
			"END",
		"log_order": "CREATE TRIGGER `log_order` AFTER INSERT ON `orders` FOR EACH ROW INSERT INTO audit (order_id) VALUES (NEW.id)",
	}
	for name, want := range wantDefs {
		tr, ok := orders.Trigger(name)
		if !ok {
			t.Errorf("no trigger %q", name)
			continue
		}
		if tr.Def != want {
			t.Errorf("trigger %q:\n  %s\nwant\n  %s", name, tr.Def, want)
		}
	}

	db2, _ := fresh(t)
	renderAll(t, d, db2, first)
	diffSchemas(t, "after render", inspect(t, d, db2), first)
	mustExec(t, db2, "INSERT INTO orders (id, qty, price) VALUES (1, 3, 5)")
	if got := queryInt(t, db2, "SELECT total FROM orders WHERE id = 1"); got != 15 {
		t.Errorf("total = %d, want 15: the BEFORE trigger did not run", got)
	}
	if got := queryInt(t, db2, "SELECT COUNT(*) FROM audit WHERE order_id = 1"); got != 1 {
		t.Errorf("%d audit rows, want 1: the AFTER trigger did not run", got)
	}

	// A table created whole (as a downgrade makes a dropped one again)
	// brings its triggers along, after it.
	db3, _ := fresh(t)
	audit, _ := first.Table("audit")
	apply(t, d, db3, &schema.Schema{}, op.CreateTable{Table: audit})
	stmts := apply(t, d, db3, &schema.Schema{Tables: []*schema.Table{audit}}, op.CreateTable{Table: orders})
	if len(stmts) != 3 || !strings.HasPrefix(stmts[0], "CREATE TABLE") {
		t.Errorf("CreateTable with two triggers rendered %q, want the table then the triggers", stmts)
	}
	diffSchemas(t, "created whole", inspect(t, d, db3), first)

	// What Inspect reports is already canonical.
	canon := first.Clone()
	d.Canonical(canon)
	diffSchemas(t, "canonical of inspected", canon, first)
}

// TestTriggerChange diffs a database towards one whose trigger has another
// body, another trigger added and one dropped, runs the rendered ops and
// their inverse, and checks both ends.
func TestTriggerChange(t *testing.T) {
	t.Parallel()
	const table = "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)"
	db, d := fresh(t)
	mustExec(t, db, table,
		"CREATE TRIGGER set_b BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.b = NEW.a + 1; END",
		"CREATE TRIGGER gone BEFORE UPDATE ON t FOR EACH ROW SET NEW.b = 0",
	)
	target, _ := fresh(t)
	mustExec(t, target, table,
		"CREATE TRIGGER set_b BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.b = NEW.a * 10; SET NEW.a = NEW.a; END",
		"CREATE TRIGGER added AFTER DELETE ON t FOR EACH ROW SET @deleted = OLD.id",
	)
	before, want := inspect(t, d, db), inspect(t, d, target)

	ops, err := diff.Schemas(before, want)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range ops {
		switch o := o.(type) {
		case op.DropTrigger:
			kinds = append(kinds, "drop "+o.Trigger.Name)
		case op.CreateTrigger:
			kinds = append(kinds, "create "+o.Trigger.Name)
		default:
			t.Errorf("unexpected op %s", o)
		}
	}
	slices.Sort(kinds)
	if got, want := strings.Join(kinds, ", "), "create added, create set_b, drop gone, drop set_b"; got != want {
		t.Errorf("ops %s, want %s", got, want)
	}
	inverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	running := before.Clone()
	up, err := dialect.RenderOps(d, running, ops)
	if err != nil {
		t.Fatal(err)
	}
	down, err := dialect.RenderOps(d, running, inverse)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(up, "DROP TRIGGER `set_b`") {
		t.Errorf("up %q drops no set_b", up)
	}

	mustExec(t, db, up...)
	after := inspect(t, d, db)
	diffSchemas(t, "after the upgrade", after, want)
	if again, err := diff.Schemas(after, want); err != nil || len(again) > 0 {
		t.Errorf("second diff: %v, %v; want nothing", again, err)
	}
	mustExec(t, db, "INSERT INTO t (id, a) VALUES (1, 2)")
	if got := queryInt(t, db, "SELECT b FROM t WHERE id = 1"); got != 20 {
		t.Errorf("b = %d, want 20 from the new body", got)
	}
	mustExec(t, db, "DELETE FROM t")

	mustExec(t, db, down...)
	diffSchemas(t, "after the downgrade", inspect(t, d, db), before)
}

func TestRenderTriggerErrors(t *testing.T) {
	t.Parallel()
	d := &mysql.Dialect{}
	if _, err := d.Render(nil, op.CreateTrigger{Table: "t", Trigger: &schema.Trigger{Name: "x"}}); err == nil {
		t.Error("a trigger without a definition rendered")
	}
	if _, err := d.Render(nil, op.DropTrigger{Table: "t", Trigger: &schema.Trigger{}}); err == nil {
		t.Error("a trigger without a name dropped")
	}
}

// TestTriggerFollowsRenamedColumn renames a column a trigger's body names:
// the server leaves the body as it was, so Render makes the trigger again
// with the new name, as the model has it after the op.
func TestTriggerFollowsRenamedColumn(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	mustExec(t, db, "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)",
		"CREATE TRIGGER set_b BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.b = NEW.a + 1; END",
		"CREATE TRIGGER other BEFORE UPDATE ON t FOR EACH ROW SET NEW.b = 0")
	current := inspect(t, d, db)
	tb, _ := current.Table("t")
	a, _ := tb.Column("a")
	renamed := *a
	renamed.Name = "c"
	o := op.AlterColumn{Table: "t", From: a, To: &renamed}
	stmts := apply(t, d, db, current, o)
	if n := len(stmts); n != 3 {
		t.Errorf("rendered %q, want the rename and set_b dropped and made again", stmts)
	}
	if err := o.Apply(current); err != nil {
		t.Fatal(err)
	}
	diffSchemas(t, "after the rename", inspect(t, d, db), current)
	mustExec(t, db, "INSERT INTO t (id, c) VALUES (1, 4)")
	if got := queryInt(t, db, "SELECT b FROM t WHERE id = 1"); got != 5 {
		t.Errorf("b = %d, want 5", got)
	}
}

// TestTriggerFollowsRenamedTable renames a table with a trigger: the
// server moves the trigger along, as the model does.
func TestTriggerFollowsRenamedTable(t *testing.T) {
	t.Parallel()
	db, d := fresh(t)
	mustExec(t, db, "CREATE TABLE t (id INT PRIMARY KEY, a INT)",
		"CREATE TRIGGER set_a BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 7")
	current := inspect(t, d, db)
	o := op.RenameTable{From: "t", To: "u"}
	apply(t, d, db, current, o)
	if err := o.Apply(current); err != nil {
		t.Fatal(err)
	}
	diffSchemas(t, "after the rename", inspect(t, d, db), current)
}
