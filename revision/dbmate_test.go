package revision_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/revision"
)

// TestDbmateTransactionOption: dbmate's per-section option
// transaction:false reads as -- strata:no-transaction, with or without
// the header directive, and strata writes both spellings.
func TestDbmateTransactionOption(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		noTx bool
	}{
		{"dbmate's spelling alone", "-- strata:revision 1\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY ix ON t (a);\n-- migrate:down\nDROP INDEX CONCURRENTLY ix;\n", true},
		{"on both lines", "-- strata:revision 1\n-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down transaction:false\nSELECT 2;\n", true},
		{"both spellings", "-- strata:revision 1\n-- strata:no-transaction\n\n-- migrate:up   transaction:false \r\nSELECT 1;\n-- migrate:down transaction:false\n", true},
		{"header, down line only", "-- strata:revision 1\n-- strata:no-transaction\n-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\n", true},
		{"transaction:true", "-- strata:revision 1\n-- migrate:up transaction:true\nSELECT 1;\n-- migrate:down transaction:true\n", false},
		{"no option", "-- strata:revision 1\n-- migrate:up\nSELECT 1;\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := revision.Parse("f.sql", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if r.NoTransaction != tt.noTx {
				t.Errorf("NoTransaction = %v, want %v", r.NoTransaction, tt.noTx)
			}
			formatted := string(revision.Format(r))
			for _, line := range []string{"-- strata:no-transaction\n", "-- migrate:up transaction:false\n", "-- migrate:down transaction:false\n"} {
				if strings.Contains(formatted, line) != tt.noTx {
					t.Errorf("Format has %q: %v, want %v:\n%s", line, !tt.noTx, tt.noTx, formatted)
				}
			}
			checkRoundTrip(t, []byte(tt.file))
		})
	}
}

// TestDbmateOptionErrors: options strata cannot honour, and contradicting
// ones, are refused with the line.
func TestDbmateOptionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, want string
	}{
		{"env template", "-- strata:revision 1\n-- migrate:up env:ROLE\nSELECT '{{ .ROLE }}';\n", `f.sql:2: option "env:ROLE": strata does not fill in dbmate's env: templates`},
		{"unknown option", "-- strata:revision 1\n-- migrate:up fast:yes\n", `f.sql:2: unknown option "fast:yes" after -- migrate:`},
		{"bare word", "-- strata:revision 1\n-- migrate:up now\n", `f.sql:2: unknown option "now"`},
		{"bad transaction value", "-- strata:revision 1\n-- migrate:up transaction:no\n", `f.sql:2: option "transaction:no": want transaction:false or transaction:true`},
		{"down only", "-- strata:revision 1\n-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\n", "f.sql:4: transaction:false on -- migrate:down only"},
		{"contradiction", "-- strata:revision 1\n-- strata:no-transaction\n-- migrate:up transaction:true\n", "f.sql:3: -- migrate:up transaction:true contradicts -- strata:no-transaction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := revision.Parse("f.sql", []byte(tt.file))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", r)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q, want %q…", err, tt.want)
			}
		})
	}
}
