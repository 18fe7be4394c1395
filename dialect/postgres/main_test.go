package postgres_test

import (
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
